// scaledbench: a C harness for scaled.h (not built by go; testdata is
// ignored). It decodes each JPEG at 1/f with kycq_scaled_decode, prints
// the best and mean CPU time of -r repetitions (thread clock), and with
// -o DIR writes each file's planes (the return code, then Y, Cb, Cr) to
// DIR/NAME.fF.planes for a byte-for-byte comparison of two versions:
//
//	gcc -O2 -I OLD_DIR -DKQ_WORK_FLOATS='(4*KQ_WK*16)' -o old scaledbench.c -lm   # before the pair tables
//	gcc -O2 -I imagecheck/turbojpeg -o new imagecheck/turbojpeg/testdata/scaledbench.c -lm
//	./old -f 4 -o po FILES; ./new -f 4 -o pn FILES; for x in po/*; do cmp $x pn/${x#po/}; done
//	./old -r 3 FILES; ./new -r 3 FILES   # alternately, several rounds
#include "scaled.h"
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
static double now(void){struct timespec t;clock_gettime(CLOCK_THREAD_CPUTIME_ID,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
int main(int argc,char**argv){
  int f=4,reps=1;const char*out=NULL;int i=1;
  for(;i<argc;i++){ if(!strcmp(argv[i],"-f"))f=atoi(argv[++i]); else if(!strcmp(argv[i],"-r"))reps=atoi(argv[++i]); else if(!strcmp(argv[i],"-o"))out=argv[++i]; else break;}
  float*weights=malloc(KQ_WORK_FLOATS * sizeof(float) + 64);
  size_t nb=0;uint64_t*blocks=NULL;
  for(;i<argc;i++){
    FILE*fp=fopen(argv[i],"rb");if(!fp){perror(argv[i]);continue;}
    fseek(fp,0,SEEK_END);long len=ftell(fp);fseek(fp,0,SEEK_SET);
    uint8_t*d=malloc(len);if(fread(d,1,len,fp)!=(size_t)len){fclose(fp);continue;}fclose(fp);
    // SOF
    int w=0,h=0,hm=1,vm=1,nc=0;
    for(long p=2;p+9<len;){ if(d[p]!=0xFF){p++;continue;} int m=d[p+1]; if(m==0xFF){p++;continue;}
      if(m>=0xC0&&m<=0xC2){h=(d[p+5]<<8)|d[p+6];w=(d[p+7]<<8)|d[p+8];nc=d[p+9];for(int c=0;c<nc;c++){int hv=d[p+11+3*c];if((hv>>4)>hm)hm=hv>>4;if((hv&15)>vm)vm=hv&15;}break;}
      if(m==0xD8||(m>=0xD0&&m<=0xD7)){p+=2;continue;} p+=2+((d[p+2]<<8)|d[p+3]); }
    if(!w){printf("%s: no SOF\n",argv[i]);continue;}
    int yw=(w+f-1)/f,yh=(h+f-1)/f,cw=(w+hm*f-1)/(hm*f),ch=(h+vm*f-1)/(vm*f);
    uint8_t*pl[3];int st[3]={yw,cw,cw},pw[3]={yw,cw,cw},ph[3]={yh,ch,ch};
    size_t tot=(size_t)yw*yh+2*(size_t)cw*ch; uint8_t*all=calloc(tot,1);pl[0]=all;pl[1]=all+(size_t)yw*yh;pl[2]=pl[1]+(size_t)cw*ch;
    uint8_t*scratch=malloc(len+KQ_PAD);
    double best=1e9,sum=0;int r=0;
    for(int k=0;k<reps;k++){
      double t0=now();size_t need=0;
      r=kycq_scaled_decode(d,len,f,pl,st,pw,ph,weights,scratch,blocks,nb,&need);
      if(r==KYCQ_SCALED_NEED){free(blocks);nb=need;blocks=malloc(nb*8);r=kycq_scaled_decode(d,len,f,pl,st,pw,ph,weights,scratch,blocks,nb,&need);}
      double t=now()-t0; if(t<best)best=t; sum+=t;
    }
    printf("%s r=%d best %.2f mean %.2f ms\n",argv[i],r,best,sum/reps);
    if(out){char nm[4096];const char*b=strrchr(argv[i],'/');b=b?b+1:argv[i];snprintf(nm,sizeof nm,"%s/%s.f%d.planes",out,b,f);FILE*o=fopen(nm,"wb");fwrite(&r,sizeof r,1,o);if(r==0)fwrite(all,1,tot,o);fclose(o);}
    free(all);free(scratch);free(d);
  }
  return 0;
}

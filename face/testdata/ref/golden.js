// golden.js runs @vladmandic/face-api 1.7.15 (TF.js 4.22, CPU backend) on
// the inputs face/golden_test.go writes (-write-ref DIR) and prints the
// golden outputs as JSON on stdout. Usage: node golden.js DIR > golden.json
'use strict';
const fs = require('fs');
const path = require('path');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');

const tf = faceapi.tf;
const round = (a) => Array.from(a, (v) => Number(v.toPrecision(9)));

function rawTensor(dir, file, w, h) {
  const buf = fs.readFileSync(path.join(dir, file));
  if (buf.length !== w * h * 3) throw new Error(`${file}: ${buf.length} bytes, want ${w * h * 3}`);
  return tf.tensor3d(new Int32Array(buf), [h, w, 3], 'int32');
}

async function main() {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: node golden.js DIR');
  await tf.setBackend('cpu');
  await tf.ready();
  const models = path.join(path.dirname(require.resolve('@vladmandic/face-api/package.json')), 'model');
  await faceapi.nets.tinyFaceDetector.loadFromDisk(models);
  await faceapi.nets.faceLandmark68Net.loadFromDisk(models);
  await faceapi.nets.faceRecognitionNet.loadFromDisk(models);

  const index = JSON.parse(fs.readFileSync(path.join(dir, 'index.json'), 'utf8'));
  const out = {
    generator: `@vladmandic/face-api ${faceapi.version} with @tensorflow/tfjs ${tf.version.tfjs}, ${tf.getBackend()} backend`,
    synthetic: {},
    photos: [],
  };

  // Synthetic inputs: each net on an input of exactly its size.
  const syn = index.synthetic;
  {
    const x = rawTensor(dir, syn.detector, 416, 416);
    const grid = faceapi.nets.tinyFaceDetector.forwardInput(await faceapi.toNetInput(x), 416);
    out.synthetic.detector = round(grid.dataSync());
    const y = rawTensor(dir, syn.landmarks, 112, 112);
    const lm = faceapi.nets.faceLandmark68Net.runNet(await faceapi.toNetInput(y));
    out.synthetic.landmarks = round(lm.dataSync());
    const z = rawTensor(dir, syn.recognizer, 150, 150);
    out.synthetic.recognizer = round(await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(z));
  }

  // Real photos: face-api's whole detection + landmark pipeline on the
  // decoded image, and the descriptor of each chip the Go side aligned.
  for (const p of index.photos) {
    const img = rawTensor(dir, p.raw, p.width, p.height);
    const opts = new faceapi.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: index.score_threshold });
    const res = await faceapi.detectAllFaces(img, opts).withFaceLandmarks();
    const faces = res.map((r) => ({
      box: [r.detection.box.x, r.detection.box.y, r.detection.box.width, r.detection.box.height].map((v) => Number(v.toPrecision(9))),
      score: Number(r.detection.score.toPrecision(9)),
      landmarks: r.landmarks.positions.flatMap((q) => [Number(q.x.toPrecision(9)), Number(q.y.toPrecision(9))]),
    }));
    const chips = [];
    for (const c of p.chips) {
      const t = rawTensor(dir, c.raw, 150, 150);
      chips.push({ sha256: c.sha256, descriptor: round(await faceapi.nets.faceRecognitionNet.computeFaceDescriptor(t)) });
    }
    out.photos.push({ file: p.file, sha256: p.sha256, faces, chips });
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((e) => { console.error(e); process.exit(1); });

package cnid

import "strings"

// provinceNames are the provincial-level divisions of GB/T 2260 with the
// names an address begins with: the full name, and for the autonomous
// regions the short name an address may print instead.
var provinceNames = []struct {
	code  string
	names []string
}{
	{"11", []string{"北京市"}},
	{"12", []string{"天津市"}},
	{"13", []string{"河北省"}},
	{"14", []string{"山西省"}},
	{"15", []string{"内蒙古自治区", "内蒙古"}},
	{"21", []string{"辽宁省"}},
	{"22", []string{"吉林省"}},
	{"23", []string{"黑龙江省"}},
	{"31", []string{"上海市"}},
	{"32", []string{"江苏省"}},
	{"33", []string{"浙江省"}},
	{"34", []string{"安徽省"}},
	{"35", []string{"福建省"}},
	{"36", []string{"江西省"}},
	{"37", []string{"山东省"}},
	{"41", []string{"河南省"}},
	{"42", []string{"湖北省"}},
	{"43", []string{"湖南省"}},
	{"44", []string{"广东省"}},
	{"45", []string{"广西壮族自治区", "广西"}},
	{"46", []string{"海南省"}},
	{"50", []string{"重庆市"}},
	{"51", []string{"四川省"}},
	{"52", []string{"贵州省"}},
	{"53", []string{"云南省"}},
	{"54", []string{"西藏自治区", "西藏"}},
	{"61", []string{"陕西省"}},
	{"62", []string{"甘肃省"}},
	{"63", []string{"青海省"}},
	{"64", []string{"宁夏回族自治区", "宁夏"}},
	{"65", []string{"新疆维吾尔自治区", "新疆"}},
	{"71", []string{"台湾省"}},
	{"81", []string{"香港特别行政区"}},
	{"82", []string{"澳门特别行政区"}},
}

// AddressProvince returns the two-digit code (GB/T 2260) of the
// provincial-level division an address begins with, and false when it
// begins with none. A province's name counts only with its 省 and a
// municipality's with its 市, so that a city sharing a province's name
// (吉林市, in 吉林省) or a prefecture beginning with one (海南藏族自治州,
// in 青海省) is not taken for it; an autonomous region may be named short
// (新疆 for 新疆维吾尔自治区).
//
// The address printed on a resident ID card is the holder's registered
// residence, which may have moved since the number was given: its
// province need not be the number's.
func AddressProvince(addr string) (string, bool) {
	for _, p := range provinceNames {
		for _, n := range p.names {
			if strings.HasPrefix(addr, n) {
				return p.code, true
			}
		}
	}
	return "", false
}

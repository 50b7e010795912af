package client

import (
	"os"
	"reflect"
	"regexp"
	"testing"
)

// clientMethod names the Client method of every operation in
// api/openapi.yaml; "-" marks the operations an API client does not call
// (the S3 server's webhook, the operators' endpoints) and "staff" the
// review console's staff API (staffBearer sessions, used by the console).
var clientMethod = map[string]string{
	"listVerifications":        "Verifications",
	"createVerification":       "Create",
	"getVerification":          "Get",
	"submitVerification":       "Submit",
	"createHolderCheck":        "HolderCheck", // creates, uploads and submits
	"getHolderCheck":           "GetHolderCheck",
	"submitHolderCheck":        "HolderCheck",
	"answerHolderCheck":        "AnswerHolder",
	"getAccount":               "Account",
	"bindContact":              "BindContact",
	"putHoldings":              "SetHoldings",
	"createMigration":          "Migrate",
	"getMigration":             "Migration",
	"listIDTypes":              "IDTypes",
	"s3Event":                  "-",
	"listAccountVerifications": "AccountVerifications",
	"listAccountHolderChecks":  "AccountHolderChecks",
	"listAccountMigrations":    "AccountMigrations",
	"listAccountCases":         "AccountCases",
	"checkOccupancy":           "CheckOccupancy",
	"listDeadDeliveries":       "DeadDeliveries",
	"getDelivery":              "Delivery",
	"redeliver":                "Redeliver",
	"metrics":                  "-",
	"healthz":                  "-",
	"readyz":                   "-",
	"appealVerification":       "Appeal",
	"staffLogin":               "staff",
	"staffLogout":              "staff",
	"reviewQueue":              "staff",
	"reviewCase":               "staff",
	"claimReview":              "staff",
	"releaseReview":            "staff",
	"decideReview":             "staff",
	"listSupportCases":         "staff",
	"getSupportCase":           "staff",
	"moveSupportCase":          "staff",
	"addSupportCaseNote":       "staff",
	"releaseDocument":          "staff",
	"reopenAppeal":             "staff",
}

// The Go client covers the whole API: every operation of openapi.yaml has
// a method (or is marked as not a client's).
func TestClientCoversTheAPI(t *testing.T) {
	b, err := os.ReadFile("../openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ops := regexp.MustCompile(`(?m)^\s+operationId:\s*(\S+)\s*$`).FindAllStringSubmatch(string(b), -1)
	if len(ops) < 20 {
		t.Fatalf("only %d operations found in openapi.yaml", len(ops))
	}
	typ := reflect.TypeOf(&Client{})
	seen := map[string]bool{}
	for _, m := range ops {
		op := m[1]
		seen[op] = true
		name, ok := clientMethod[op]
		if !ok {
			t.Errorf("operation %s has no entry in clientMethod", op)
			continue
		}
		if _, ok := typ.MethodByName(name); name != "-" && name != "staff" && !ok {
			t.Errorf("operation %s: Client has no method %s", op, name)
		}
	}
	for op := range clientMethod {
		if !seen[op] {
			t.Errorf("clientMethod names %s, which openapi.yaml does not have", op)
		}
	}
}

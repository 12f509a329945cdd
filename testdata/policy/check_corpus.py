#!/usr/bin/env python3
"""Schema check for the KMS authorization corpus in this directory.

Usage: python3 check_corpus.py [DIR]

Checks every *.json file: required fields, enum values, kebab-case names unique
across all files, "@name" references, grant shapes, and that every `expect`
is internally consistent (source names an existing IAM policy / grant, the
statement index exists in that policy, has the right Effect, and `sid` is
given exactly when the statement has a Sid). Prints the case count per file and
the total; exits non-zero on the first file with errors (after listing them).
"""
import json
import os
import re
import sys

DECISIONS = {"ALLOW", "EXPLICIT_DENY", "IMPLICIT_DENY"}
GRANT_OPS = {"Decrypt", "Encrypt", "GenerateDataKey", "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext",
             "GenerateDataKeyWithoutPlaintext", "GenerateMac", "ReEncryptFrom", "ReEncryptTo", "Sign", "Verify",
             "VerifyMac", "CreateGrant", "DescribeKey", "GetPublicKey", "RetireGrant", "DeriveSharedSecret"}
CASE_KEYS = {"name", "ref", "request", "key_policy", "iam_policies", "grants", "expect"}
REQ_KEYS = {"Action", "Principal", "Resource", "Context"}
GRANT_KEYS = {"KeyId", "GrantId", "GranteePrincipal", "RetiringPrincipal", "IssuingAccount", "Operations",
              "Constraints", "Name"}
NAME_RX = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
SCALAR = (str, int, float, bool)


class Errors(list):
    def add(self, where, msg):
        self.append(f"{where}: {msg}")


def is_doc(x):
    return isinstance(x, dict) and "Statement" in x


def statements(doc):
    s = doc.get("Statement")
    return s if isinstance(s, list) else [s]


def check_context(ctx, where, err):
    if not isinstance(ctx, dict):
        err.add(where, "Context must be an object")
        return
    for k, v in ctx.items():
        if isinstance(v, list):
            if not all(isinstance(e, SCALAR) for e in v):
                err.add(where, f"Context[{k}] list must hold strings/numbers/booleans")
        elif not isinstance(v, SCALAR) or v is None:
            err.add(where, f"Context[{k}] must be a string, number, boolean or list")


def check_grant(g, where, err):
    if not isinstance(g, dict):
        err.add(where, "grant must be an object")
        return
    for k in g:
        if k not in GRANT_KEYS:
            err.add(where, f"unknown grant field {k}")
    for k in ("KeyId", "GrantId", "GranteePrincipal", "IssuingAccount", "Operations"):
        if k not in g:
            err.add(where, f"grant missing {k}")
    if not re.fullmatch(r"[0-9a-f]{64}", str(g.get("GrantId", ""))):
        err.add(where, "GrantId must be 64 lowercase hex characters")
    if not re.fullmatch(r"arn:aws:kms:[a-z0-9-]+:\d{12}:key/.+", str(g.get("KeyId", ""))):
        err.add(where, "KeyId must be a key ARN")
    if not re.fullmatch(r"arn:aws:iam::\d{12}:root", str(g.get("IssuingAccount", ""))):
        err.add(where, "IssuingAccount must be arn:aws:iam::ACCT:root")
    ops = g.get("Operations")
    if not isinstance(ops, list) or not ops or any(o not in GRANT_OPS for o in ops):
        err.add(where, f"Operations must be a non-empty list of grant operations, got {ops!r}")
    if "Constraints" in g:
        c = g["Constraints"]
        if not isinstance(c, dict) or len(c) != 1 or \
                next(iter(c)) not in ("EncryptionContextEquals", "EncryptionContextSubset"):
            err.add(where, "Constraints must hold exactly one of EncryptionContextEquals/EncryptionContextSubset")
        else:
            pairs = next(iter(c.values()))
            if not isinstance(pairs, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in pairs.items()):
                err.add(where, "constraint must map strings to strings")


def resolve(ref, policies, where, err):
    if isinstance(ref, str):
        if not ref.startswith("@"):
            err.add(where, f"policy reference must start with @: {ref!r}")
            return None
        if ref[1:] not in policies:
            err.add(where, f"unresolved reference {ref}")
            return None
        return policies[ref[1:]]
    if not is_doc(ref):
        err.add(where, "policy must be a document object or \"@name\"")
        return None
    return ref


def check_decision_file(path, data, names, err):
    for k in data:
        if k not in ("description", "policies", "cases"):
            err.add(path, f"unknown top-level field {k}")
    if not isinstance(data.get("description"), str):
        err.add(path, "description must be a string")
    policies = data.get("policies", {})
    if not isinstance(policies, dict) or not all(is_doc(p) for p in policies.values()):
        err.add(path, "policies must map names to policy documents")
        policies = {}
    used = set()
    cases = data.get("cases")
    if not isinstance(cases, list) or not cases:
        err.add(path, "cases must be a non-empty list")
        return 0
    for c in cases:
        name = c.get("name", "?")
        w = f"{os.path.basename(path)}:{name}"
        for k in c:
            if k not in CASE_KEYS:
                err.add(w, f"unknown case field {k}")
        for k in CASE_KEYS:
            if k not in c:
                err.add(w, f"missing {k}")
        if not isinstance(name, str) or not NAME_RX.match(name):
            err.add(w, "name must be kebab-case")
        if name in names:
            err.add(w, f"duplicate case name (also in {names[name]})")
        names[name] = os.path.basename(path)
        if not isinstance(c.get("ref"), str) or not c.get("ref"):
            err.add(w, "ref must be a non-empty string")
        req = c.get("request", {})
        if not isinstance(req, dict) or set(req) - REQ_KEYS or not {"Action", "Principal", "Resource"} <= set(req):
            err.add(w, "request needs Action, Principal, Resource (and optional Context) only")
        else:
            if not re.fullmatch(r"kms:[A-Za-z]+", str(req["Action"])):
                err.add(w, "Action must look like kms:Name")
            for k in ("Principal", "Resource"):
                if not isinstance(req[k], str) or not req[k]:
                    err.add(w, f"{k} must be a non-empty string")
            check_context(req.get("Context", {}), w, err)
        kp_ref = c.get("key_policy")
        kp = None
        if kp_ref is not None:
            if isinstance(kp_ref, str):
                used.add(kp_ref[1:])
            kp = resolve(kp_ref, policies, w, err)
        iams = c.get("iam_policies", {})
        iam_docs = {}
        if not isinstance(iams, dict):
            err.add(w, "iam_policies must be an object")
        else:
            for n, ref in iams.items():
                if isinstance(ref, str):
                    used.add(ref[1:])
                iam_docs[n] = resolve(ref, policies, w, err)
        grants = c.get("grants", [])
        if not isinstance(grants, list):
            err.add(w, "grants must be a list")
            grants = []
        for g in grants:
            check_grant(g, w, err)
        exp = c.get("expect", {})
        if not isinstance(exp, dict) or set(exp) - {"decision", "source", "statement"}:
            err.add(w, "expect has only decision, source, statement")
            continue
        dec = exp.get("decision")
        if dec not in DECISIONS:
            err.add(w, f"decision must be one of {sorted(DECISIONS)}")
        src = exp.get("source")
        stm = exp.get("statement")
        if dec == "IMPLICIT_DENY" and (src is not None or stm is not None):
            err.add(w, "IMPLICIT_DENY has no source/statement")
        target = None
        if src is not None:
            if src == "key_policy":
                if kp is None:
                    err.add(w, "source key_policy but key_policy is null")
                target = kp
            elif src == "account_root":
                if dec != "ALLOW" or kp_ref is not None:
                    err.add(w, "account_root is an ALLOW source for key_policy null only")
            elif src.startswith("iam:"):
                if src[4:] not in iam_docs:
                    err.add(w, f"source {src} names no IAM policy of the case")
                target = iam_docs.get(src[4:])
            elif src.startswith("grant:"):
                if dec != "ALLOW":
                    err.add(w, "grants only allow")
                if not any(g.get("GrantId") == src[6:] for g in grants):
                    err.add(w, f"source {src} names no grant of the case")
            else:
                err.add(w, f"bad source {src!r}")
        if stm is not None:
            if src is None or not (src == "key_policy" or src.startswith("iam:")):
                err.add(w, "statement only with a key_policy or iam:<name> source")
            elif not isinstance(stm, dict) or set(stm) - {"index", "sid"} or not isinstance(stm.get("index"), int):
                err.add(w, "statement is {index:int, sid?:str}")
            elif target is not None:
                sts = statements(target)
                i = stm["index"]
                if not 0 <= i < len(sts):
                    err.add(w, f"statement index {i} out of range")
                else:
                    st = sts[i]
                    want = "Allow" if dec == "ALLOW" else "Deny"
                    if st.get("Effect") != want:
                        err.add(w, f"statement {i} has Effect {st.get('Effect')}, expected {want}")
                    if st.get("Sid") != stm.get("sid"):
                        err.add(w, f"statement sid {stm.get('sid')!r} != policy Sid {st.get('Sid')!r}")
    for p in policies:
        if p not in used:
            err.add(path, f"policy {p!r} is never used")
    return len(cases)


def check_malformed(path, data, names, err):
    for k in data:
        if k not in ("description", "cases", "valid"):
            err.add(path, f"unknown top-level field {k}")
    if not isinstance(data.get("description"), str):
        err.add(path, "description must be a string")
    n = 0
    for section, need in (("cases", 30), ("valid", 10)):
        items = data.get(section)
        if not isinstance(items, list) or len(items) < need:
            err.add(path, f"{section} needs at least {need} entries")
            continue
        for c in items:
            name = c.get("name", "?")
            w = f"{os.path.basename(path)}:{name}"
            allowed = {"name", "ref", "policy"} | ({"expect_error"} if section == "cases" else set())
            for k in c:
                if k not in allowed:
                    err.add(w, f"unknown field {k}")
            if not isinstance(name, str) or not NAME_RX.match(name):
                err.add(w, "name must be kebab-case")
            if name in names:
                err.add(w, f"duplicate case name (also in {names[name]})")
            names[name] = os.path.basename(path)
            if not isinstance(c.get("ref"), str) or not c.get("ref"):
                err.add(w, "ref must be a non-empty string")
            if "policy" not in c or not isinstance(c["policy"], (dict, list, str, int)):
                err.add(w, "policy must be a document object or raw text")
            if section == "cases" and c.get("expect_error") not in ("MalformedPolicyDocumentException", "LimitExceededException"):
                err.add(w, "expect_error must be MalformedPolicyDocumentException (LimitExceededException for the size quota)")
            if section == "valid" and isinstance(c.get("policy"), str):
                try:
                    json.loads(c["policy"])
                except ValueError:
                    err.add(w, "a valid raw-text policy must be JSON")
        if section == "cases":
            n = len(items)
    return n, len(data.get("valid", []))


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    names = {}
    total = 0
    failed = False
    for f in sorted(os.listdir(d)):
        if not f.endswith(".json"):
            continue
        path = os.path.join(d, f)
        err = Errors()
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        if f == "malformed.json":
            n, v = check_malformed(path, data, names, err)
            print(f"{f:40s} {n:4d} malformed + {v} valid documents")
        else:
            n = check_decision_file(path, data, names, err)
            total += n
            print(f"{f:40s} {n:4d} decision cases")
        for e in err:
            print("  ERROR", e)
        failed |= bool(err)
    print(f"{'TOTAL':40s} {total:4d} decision cases")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()

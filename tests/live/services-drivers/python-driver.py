# SPDX-License-Identifier: Apache-2.0
# Runs a generated Python verification module (service:pyjwt, service:jwcrypto) over tokens read
# from standard input, one per line, and prints one verdict per line: "accept", "reject REASON"
# (TokenRejected) or "error REASON" (anything else raised: a defect of the generated code).
# Usage: python3 python-driver.py GENERATED_MODULE < tokens
import importlib.util
import sys

spec = importlib.util.spec_from_file_location("verify_token", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
for line in sys.stdin.read().splitlines():
    try:
        module.verify_token(line)
        print("accept")
    except module.TokenRejected as e:
        print("reject", " ".join(str(e).split()))
    except Exception as e:  # the generated code must raise TokenRejected only
        print("error", type(e).__name__, " ".join(str(e).split()))

// SPDX-License-Identifier: Apache-2.0
// Runs the generated Go verification package (service:golang-jwt, copied to ./jwtverify) over
// tokens read from standard input, one per line, and prints one verdict per line: "accept",
// "reject REASON" (*TokenRejected) or "error REASON" (any other error: a defect of the code).
package main

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"strings"

	"jwbdriver/jwtverify"
)

func main() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<21)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for scanner.Scan() {
		_, err := jwtverify.VerifyToken(scanner.Text())
		var rejected *jwtverify.TokenRejected
		switch {
		case err == nil:
			fmt.Fprintln(out, "accept")
		case errors.As(err, &rejected):
			fmt.Fprintln(out, "reject", strings.Join(strings.Fields(rejected.Reason), " "))
		default:
			fmt.Fprintln(out, "error", strings.Join(strings.Fields(err.Error()), " "))
		}
	}
}

package main

import (
	"bufio"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestVectorCodeAvoidsLegacySSE checks the machine code of the binary built with
// GOEXPERIMENT=simd: no legacy-SSE instruction (one without a VEX or EVEX encoding, on XMM
// registers) runs while the upper halves of the vector registers may be in use, that is
// after a YMM or ZMM instruction and before the next VZEROUPPER
// (archsimd.ClearAVXUpperBits), in backstop's own functions or in a function they call. An
// Intel CPU makes each such instruction wait: on an Intel Xeon one of them in the sketch
// codes' loop (a shift count moved by MOVQ, golang/go#80835) made a whole run 2.8 times as
// slow, and the vector build slower than the scalar one. AMD CPUs do not, so timings on
// them cannot catch it.
//
// It reads GNU objdump's disassembly and follows each function's jumps: a function is
// entered clean unless one of its callers calls it in use, a call to a function that
// returns in use leaves the caller in use, and a call to a runtime panic does not return.
// A call or jump through a register (a closure, an interface method, a jump table) may
// not be made in use, as the check cannot follow it.
func TestVectorCodeAvoidsLegacySSE(t *testing.T) {
	objdump, err := exec.LookPath("objdump")
	if err != nil {
		t.Fatalf("objdump (GNU binutils, which gcc brings) is needed to read the binary's machine code: %v", err)
	}
	bin := backstopBinary(t)
	cmd := exec.Command(objdump, "-d", "--no-show-raw-insn", bin)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	funcs := readFunctions(bufio.NewScanner(out))
	if err := cmd.Wait(); err != nil {
		t.Fatalf("objdump: %v", err)
	}
	ours := 0
	for name, f := range funcs {
		if f.vector && strings.HasPrefix(name, modulePath) {
			ours++
		}
	}
	if ours == 0 {
		if strings.Contains(os.Getenv("GOEXPERIMENT"), "simd") {
			t.Fatal("built with GOEXPERIMENT=simd, yet no function of backstop holds a vector instruction")
		}
		t.Skip("built without GOEXPERIMENT=simd, so there is no vector code; make test runs this test again with it")
	}
	for _, finding := range usesLegacySSE(funcs) {
		t.Error(finding)
	}
}

// modulePath prefixes the symbols of backstop's own functions.
const modulePath = "github.com/backstop-research/backstop/"

// machineFunction is one function's instructions, in address order, as objdump prints them.
type machineFunction struct {
	addrs  []uint64
	texts  []string
	vector bool // it has an instruction on YMM or ZMM registers
	legacy bool // it has a legacy-SSE instruction
}

// readFunctions reads objdump -d output into functions by symbol.
func readFunctions(sc *bufio.Scanner) map[string]*machineFunction {
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	header := regexp.MustCompile(`^[0-9a-f]+ <(.+)>:$`)
	funcs := map[string]*machineFunction{}
	var cur *machineFunction
	for sc.Scan() {
		line := sc.Text()
		if m := header.FindStringSubmatch(line); m != nil {
			cur = &machineFunction{}
			funcs[m[1]] = cur
			continue
		}
		addr, text, ok := strings.Cut(line, ":\t")
		if cur == nil || !ok {
			continue
		}
		a, err := strconv.ParseUint(strings.TrimSpace(addr), 16, 64)
		if err != nil {
			continue
		}
		text = strings.TrimSpace(text)
		cur.addrs, cur.texts = append(cur.addrs, a), append(cur.texts, text)
		cur.vector = cur.vector || isWideVector(text)
		cur.legacy = cur.legacy || isLegacySSE(text)
	}
	return funcs
}

// isWideVector reports whether an instruction uses a YMM or ZMM register.
func isWideVector(text string) bool {
	return strings.Contains(text, "%ymm") || strings.Contains(text, "%zmm")
}

// isLegacySSE reports whether an instruction is a legacy-SSE one: on an XMM register,
// without the v of a VEX or EVEX encoding.
func isLegacySSE(text string) bool {
	return strings.Contains(text, "%xmm") && !strings.HasPrefix(text, "v")
}

// callee returns the symbol an instruction calls, or "".
func callee(text string) string {
	if !strings.HasPrefix(text, "call") {
		return ""
	}
	_, sym, ok := strings.Cut(text, "<")
	if !ok {
		return ""
	}
	sym = strings.TrimSuffix(sym, ">")
	if i := strings.LastIndex(sym, "+0x"); i >= 0 {
		sym = sym[:i]
	}
	return sym
}

// indirect reports whether an instruction calls or jumps through a register or memory
// (a closure, an interface method, a jump table), whose target the check cannot follow.
func indirect(text string) bool {
	fields := strings.Fields(strings.TrimPrefix(text, "notrack "))
	return len(fields) > 1 && (fields[0] == "call" || fields[0] == "jmp") && strings.HasPrefix(fields[1], "*")
}

// noReturn reports whether a call never returns (a runtime panic).
func noReturn(sym string) bool {
	return strings.HasPrefix(sym, "runtime.panic") || strings.HasPrefix(sym, "runtime.goPanic") || sym == "runtime.throw"
}

var jump = regexp.MustCompile(`^(j[a-z]+)\s+([0-9a-f]+)`)

// usesLegacySSE follows every vector function and what it calls (to a fixed point over
// entry states and returns) and describes each legacy-SSE instruction of backstop's, and
// each call to a function with legacy-SSE instructions, that runs in use.
func usesLegacySSE(funcs map[string]*machineFunction) []string {
	enterDirty, returnDirty := map[string]bool{}, map[string]bool{}
	var findings []string
	for changed := true; changed; {
		changed = false
		findings = findings[:0]
		for name, f := range funcs {
			if !f.vector && !enterDirty[name] {
				continue
			}
			ret, found := flow(name, f, funcs, enterDirty[name], returnDirty, func(callee string) {
				if !enterDirty[callee] && funcs[callee] != nil && funcs[callee].vector {
					enterDirty[callee], changed = true, true
				}
			})
			if ret != returnDirty[name] {
				returnDirty[name], changed = ret, true
			}
			if strings.HasPrefix(name, modulePath) {
				findings = append(findings, found...)
			}
		}
	}
	return findings
}

// flow runs the in-use state through f's instructions from its entry, where it is dirty
// or not: it reports whether f may return in use, the findings, and each vector function
// f calls in use (calledDirty).
func flow(name string, f *machineFunction, funcs map[string]*machineFunction, dirty bool, returnDirty map[string]bool, calledDirty func(string)) (bool, []string) {
	index := make(map[uint64]int, len(f.addrs))
	for i, a := range f.addrs {
		index[a] = i
	}
	n := len(f.texts)
	in, seen := make([]bool, n), make([]bool, n)
	type visit struct {
		i     int
		dirty bool
	}
	stack := []visit{{0, dirty}}
	retDirty := false
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if v.i >= n || seen[v.i] && (in[v.i] || !v.dirty) {
			continue
		}
		seen[v.i], in[v.i] = true, in[v.i] || v.dirty
		text, out := f.texts[v.i], in[v.i]
		sym := callee(text)
		switch {
		case strings.HasPrefix(text, "vzeroupper"):
			out = false
		case isWideVector(text):
			out = true
		case sym != "" && funcs[sym] != nil && funcs[sym].vector:
			out = returnDirty[sym]
		}
		m := jump.FindStringSubmatch(text)
		switch {
		case strings.HasPrefix(text, "ret"):
			retDirty = retDirty || out
		case indirect(text) && !strings.Contains(text, "call"):
			// A jump table: any instruction may be its target.
			for j := range n {
				stack = append(stack, visit{j, out})
			}
		case m != nil:
			if a, err := strconv.ParseUint(m[2], 16, 64); err == nil {
				if j, ok := index[a]; ok {
					stack = append(stack, visit{j, out})
				}
			}
			if m[1] != "jmp" {
				stack = append(stack, visit{v.i + 1, out})
			}
		case sym != "" && noReturn(sym), strings.HasPrefix(text, "ud2"), strings.HasPrefix(text, "int3"):
		default:
			stack = append(stack, visit{v.i + 1, out})
		}
	}
	var found []string
	for i, text := range f.texts {
		if !in[i] {
			continue
		}
		sym := callee(text)
		switch {
		case isLegacySSE(text):
			found = append(found, name+" at 0x"+strconv.FormatUint(f.addrs[i], 16)+": "+text+" runs while the vector registers' upper halves are in use (archsimd.ClearAVXUpperBits before it, or see internal/vec8.ShiftRight)")
		case sym != "" && !noReturn(sym) && funcs[sym] != nil && !funcs[sym].vector && funcs[sym].legacy:
			found = append(found, name+" at 0x"+strconv.FormatUint(f.addrs[i], 16)+" calls "+sym+", which has legacy-SSE instructions, while the vector registers' upper halves are in use")
		case sym != "" && funcs[sym] != nil && funcs[sym].vector:
			calledDirty(sym)
		case indirect(text):
			found = append(found, name+" at 0x"+strconv.FormatUint(f.addrs[i], 16)+": "+text+", a call or jump to code this check cannot follow, while the vector registers' upper halves are in use")
		}
	}
	return retDirty, found
}

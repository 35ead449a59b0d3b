package wasmexec

// NoopModule is the smallest WASI command: no imports, no memory, and a
// _start that returns at once. Dispatch benchmarks run it to measure what
// the executor and the market add around a task.
var NoopModule = commandModule(opEnd)

// WebAssembly binary format constants used by commandModule
// (https://webassembly.github.io/spec/core/binary/modules.html).
const (
	sectionType     = 1
	sectionFunction = 3
	sectionExport   = 7
	sectionCode     = 10

	typeFunction = 0x60
	exportFunc   = 0x00

	opUnreachable = 0x00
	opLoop        = 0x03
	opBr          = 0x0c
	opEnd         = 0x0b
	blockVoid     = 0x40
)

// commandModule assembles a module with a single function of type
// () -> (), exported as _start, whose instructions are body (which must end
// with opEnd). It has no locals, imports or memory.
func commandModule(body ...byte) []byte {
	module := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00} // magic, version 1
	// One function type, no parameters, no results.
	module = appendSection(module, sectionType, vector(1, []byte{typeFunction, 0, 0}))
	// Function 0 has type 0.
	module = appendSection(module, sectionFunction, vector(1, []byte{0}))
	// Export function 0 as "_start".
	export := append(appendName(nil, "_start"), exportFunc, 0)
	module = appendSection(module, sectionExport, vector(1, export))
	// The body of function 0: no local declarations, then body.
	code := append([]byte{0}, body...)
	module = appendSection(module, sectionCode, vector(1, appendSized(nil, code)))
	return module
}

func appendSection(module []byte, id byte, contents []byte) []byte {
	return appendSized(append(module, id), contents)
}

// vector is count followed by its already encoded elements.
func vector(count uint32, elements []byte) []byte {
	return append(appendULEB128(nil, count), elements...)
}

func appendName(b []byte, name string) []byte {
	return appendSized(b, []byte(name))
}

func appendSized(b, contents []byte) []byte {
	return append(appendULEB128(b, uint32(len(contents))), contents...)
}

func appendULEB128(b []byte, v uint32) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

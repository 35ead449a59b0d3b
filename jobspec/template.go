package jobspec

import (
	"errors"
	"fmt"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/bonfirenet/bonfire"
)

// Built-in template names every arg may use besides the matrix parameters.
const (
	BuiltinIndex = "index"
	BuiltinSeed  = "seed"
	BuiltinCount = "count"
)

var builtinNames = []string{BuiltinIndex, BuiltinSeed, BuiltinCount}

const argHint = `args are Go templates: {{.lr}} for a matrix parameter, {{.index}}, {{.seed}} or {{.count}}`

// argFuncs replaces printf: the market renders consumers' templates, and
// "%*d" or "%999999999d" would make it allocate whatever the consumer asks.
var argFuncs = template.FuncMap{"printf": safePrintf}

// compileArg parses one arg template, refusing the constructs that can loop
// or recurse (range, template, define, block): arguments only substitute.
func compileArg(src string) (*template.Template, *bonfire.Error) {
	t, err := template.New("arg").Option("missingkey=error").Funcs(argFuncs).Parse(src)
	if err != nil {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "%s", templateMessage(err)).WithHint(argHint)
	}
	if len(t.Templates()) > 1 {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "defines templates, which args cannot").
			WithHint("use only substitutions such as {{.lr}}, with if/else or functions like printf")
	}
	if t.Tree == nil || t.Tree.Root == nil {
		return t, nil
	}
	if bad := forbiddenNode(t.Tree.Root); bad != "" {
		return nil, bonfire.Errorf(bonfire.ECodeInvalid, "uses %s, which args cannot", bad).
			WithHint("use only substitutions such as {{.lr}}, with if/else or functions like printf")
	}
	return t, nil
}

// argReferences returns the names an arg template reads from its data, in
// order of appearance. Inside a with block dot is no longer the root, so
// fields there are left for execution to check; $.name always is the root.
func argReferences(t *template.Template) []string {
	if t.Tree == nil || t.Tree.Root == nil {
		return nil
	}
	var refs []string
	var walk func(n parse.Node, rootDot bool)
	walk = func(n parse.Node, rootDot bool) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n == nil {
				return
			}
			for _, c := range n.Nodes {
				walk(c, rootDot)
			}
		case *parse.ActionNode:
			walk(n.Pipe, rootDot)
		case *parse.IfNode:
			walk(n.Pipe, rootDot)
			walk(n.List, rootDot)
			walk(n.ElseList, rootDot)
		case *parse.WithNode:
			walk(n.Pipe, rootDot)
			walk(n.List, false)
			walk(n.ElseList, rootDot)
		case *parse.PipeNode:
			if n == nil {
				return
			}
			for _, c := range n.Cmds {
				walk(c, rootDot)
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a, rootDot)
			}
		case *parse.ChainNode:
			walk(n.Node, rootDot)
		case *parse.FieldNode:
			if rootDot && len(n.Ident) > 0 {
				refs = append(refs, n.Ident[0])
			}
		case *parse.VariableNode:
			if len(n.Ident) > 1 && n.Ident[0] == "$" {
				refs = append(refs, n.Ident[1])
			}
		}
	}
	walk(t.Tree.Root, true)
	return refs
}

func forbiddenNode(n parse.Node) string {
	switch n := n.(type) {
	case *parse.RangeNode:
		return "range"
	case *parse.TemplateNode:
		return "template or block"
	case *parse.BreakNode, *parse.ContinueNode:
		return "break or continue"
	case *parse.ListNode:
		if n == nil {
			return ""
		}
		for _, c := range n.Nodes {
			if bad := forbiddenNode(c); bad != "" {
				return bad
			}
		}
	case *parse.IfNode:
		return firstOf(forbiddenNode(n.List), forbiddenNode(n.ElseList))
	case *parse.WithNode:
		return firstOf(forbiddenNode(n.List), forbiddenNode(n.ElseList))
	}
	return ""
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// argData is what a task's arg templates see.
func argData(params map[string]string, index, count int, seed uint64) map[string]any {
	data := make(map[string]any, len(params)+3)
	for k, v := range params {
		data[k] = v
	}
	data[BuiltinIndex] = index
	data[BuiltinSeed] = seed
	data[BuiltinCount] = count
	return data
}

var errArgTooLong = errors.New("rendered argument too long")

// boundedBuffer stops a template's output at max bytes.
type boundedBuffer struct {
	b   strings.Builder
	max int
}

func (w *boundedBuffer) Write(p []byte) (int, error) {
	if w.b.Len()+len(p) > w.max {
		return 0, errArgTooLong
	}
	return w.b.Write(p)
}

// renderArg executes a compiled arg template.
func renderArg(t *template.Template, data map[string]any) (string, *bonfire.Error) {
	w := &boundedBuffer{max: MaxArgBytes}
	if err := t.Execute(w, data); err != nil {
		if errors.Is(err, errArgTooLong) {
			return "", bonfire.Errorf(bonfire.ECodeInvalid, "renders to more than %d bytes", MaxArgBytes).
				WithHint("shorten the argument; pass large data as an input file")
		}
		return "", bonfire.Errorf(bonfire.ECodeInvalid, "%s", templateMessage(err)).WithHint(argHint)
	}
	return w.b.String(), nil
}

// templateMessage drops text/template's "template: arg:" prefix, which names
// our internal template rather than anything the consumer wrote.
func templateMessage(err error) string {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "template: ")
	msg = strings.TrimPrefix(msg, "arg:")
	if i := strings.Index(msg, `executing "arg" at `); i >= 0 {
		msg = msg[i+len(`executing "arg" at `):]
	}
	return "template: " + msg
}

// safePrintf is fmt.Sprintf without '*' widths and with widths and
// precisions below 1000.
func safePrintf(format string, args ...any) (string, error) {
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
	spec:
		for i < len(format) {
			c := format[i]
			switch {
			case c == '*':
				return "", fmt.Errorf("printf: '*' widths are not allowed")
			case c >= '0' && c <= '9':
				j := i
				for j < len(format) && format[j] >= '0' && format[j] <= '9' {
					j++
				}
				if j-i > 3 {
					return "", fmt.Errorf("printf: widths and precisions must be below 1000")
				}
				i = j
			case strings.IndexByte("+-# .", c) >= 0:
				i++
			case c == '[':
				for i < len(format) && format[i] != ']' {
					i++
				}
				i++
			default:
				break spec
			}
		}
	}
	return fmt.Sprintf(format, args...), nil
}

package ollamatest

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"unicode"
)

// The tiny model's hyperparameters. llama.cpp requires rope.dimension_count to
// equal embedding_length / attention.head_count for the llama architecture.
const (
	tinyEmbd    = 64
	tinyLayers  = 2
	tinyHeads   = 4
	tinyFF      = 128
	tinyContext = 512
	tinyRot     = tinyEmbd / tinyHeads
)

// GGUF metadata value types (gguf.h).
const (
	ggufUint32  uint32 = 4
	ggufInt32   uint32 = 5
	ggufFloat32 uint32 = 6
	ggufString  uint32 = 8
	ggufArray   uint32 = 9
)

// ggmlTypeF32 is the ggml type of every tensor in the tiny model.
const ggmlTypeF32 uint32 = 0

// ggufAlignment is the default general.alignment: the data section and every
// tensor in it start at a multiple of it.
const ggufAlignment = 32

// SentencePiece token types (llama_token_type).
const (
	tokenNormal  int32 = 1
	tokenUnknown int32 = 2
	tokenControl int32 = 3
	tokenByte    int32 = 6
)

// Token ids of the special tokens, which come first in the vocabulary.
const (
	tokenIDUnknown = 0
	tokenIDBOS     = 1
	tokenIDEOS     = 2
)

// tinyWords are whole-word pieces of the vocabulary, so that the noise the
// model writes looks like words more often than like bytes.
var tinyWords = []string{
	"the", "I", "a", "an", "to", "and", "of", "in", "is", "it", "you", "my", "me",
	"we", "your", "our", "that", "this", "for", "on", "with", "not", "no", "yes",
	"be", "have", "has", "had", "do", "does", "did", "was", "were", "are", "am",
	"can", "could", "would", "will", "should", "please", "thanks", "thank", "sorry",
	"order", "orders", "refund", "account", "card", "payment", "charge", "charged",
	"twice", "bill", "billing", "delivery", "package", "parcel", "late", "lost",
	"broken", "damaged", "wrong", "item", "items", "return", "replace", "replacement",
	"cancel", "help", "issue", "problem", "again", "still", "now", "today", "week",
	"days", "day", "time", "number", "email", "address", "phone", "name", "password",
	"login", "reset", "service", "support", "agent", "customer", "manager", "store",
	"price", "money", "back", "want", "need", "just", "really", "very", "what",
	"why", "how", "when", "where", "who", "which", "there", "here", "then", "than",
	"so", "but", "or", "if", "because", "about", "from", "at", "by", "up", "out",
	"get", "got", "make", "made", "know", "think", "see", "look", "said", "told",
	"tell", "ask", "asked", "wait", "waiting", "hours", "minutes", "ok", "okay",
	"fine", "good", "great", "bad", "terrible", "angry", "upset", "happy", "frustrated",
	"understand", "appreciate", "ridiculous", "unacceptable", "hello", "hi", "hey",
	"bye", "sure", "right", "fix", "fixed", "works", "working", "broke", "send",
	"sent", "receive", "received", "check", "checked", "new", "old", "one", "two",
	"three", "first", "last", "more", "less", "any", "all", "some", "never", "always",
}

// Logit biases, by kind of token, of the text the tiny model writes. The
// model is nearly a bigram model whose logits are these biases plus noise of
// a standard deviation under 1: it writes mostly words, some letters and
// common punctuation, a digit, a byte or other punctuation very rarely (once
// in tens of thousands of tokens, so that its text is clean and states no
// numbers), and never the control tokens, the end of text included: a reply
// runs to num_predict unless a stop sequence or a grammar ends it. A grammar (format)
// still makes it write whatever the grammar allows, since it only chooses
// among the allowed tokens, and it ends the text when the grammar is done.
const (
	biasWord    = 2.3
	biasCommon  = 0 // letters, "▁" and . , ! ? '
	biasRare    = -8
	biasControl = -16
)

// tinyVocab returns the tokens, scores, token types and logit biases of the
// tiny model's SentencePiece vocabulary: <unk>, <s>, </s>, the 256 byte
// tokens, "▁" (a word start), the printable ASCII characters and
// "▁"-prefixed words.
func tinyVocab() (tokens []string, scores []float32, types []int32, biases []float32) {
	add := func(tok string, score float32, typ int32, bias float32) {
		tokens = append(tokens, tok)
		scores = append(scores, score)
		types = append(types, typ)
		biases = append(biases, bias)
	}
	add("<unk>", 0, tokenUnknown, biasControl)
	add("<s>", 0, tokenControl, biasControl)
	add("</s>", 0, tokenControl, biasControl)
	for b := range 256 {
		add(fmt.Sprintf("<0x%02X>", b), 0, tokenByte, biasRare)
	}
	// Scores only rank merges when a prompt is tokenized; words rank above
	// single characters. (A word is merged only from pieces in the vocabulary,
	// so prompts mostly become characters and bytes: what matters here is the
	// text the model writes, and it writes words.)
	add("▁", -1000, tokenNormal, biasCommon)
	for c := '!'; c <= '~'; c++ {
		bias := float32(biasRare)
		if unicode.IsLetter(c) || strings.ContainsRune(".,!?'", c) {
			bias = biasCommon
		}
		add(string(c), -1000, tokenNormal, bias)
	}
	seen := make(map[string]bool, len(tinyWords))
	for i, w := range tinyWords {
		if seen[w] {
			continue
		}
		seen[w] = true
		add("▁"+w, -float32(i), tokenNormal, biasWord)
	}
	return tokens, scores, types, biases
}

// tensor is one named tensor of the tiny model; shape lists ne[0] (the row
// length) first, as GGUF does.
type tensor struct {
	name  string
	shape []uint64
	data  []float32
}

// WriteTinyGGUF writes to path a GGUF v3 file of a llama-architecture model
// with random weights, deterministic from seed: 64 wide, 2 layers, 4 heads, a
// 512-token context, and a SentencePiece vocabulary of about 550 tokens (the
// 256 byte tokens, the printable ASCII characters and a couple of hundred
// words). The file is about 600 KB, and Ollama (llama.cpp) loads and runs it:
// what it writes is noise, but streaming, templates, grammars (format),
// options and cancellation all work for real.
func WriteTinyGGUF(path string, seed int64) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write tiny gguf: %w", err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("write tiny gguf: %w", cerr)
		}
	}()
	w := bufio.NewWriter(f)
	if err := writeTinyGGUF(w, seed); err != nil {
		return fmt.Errorf("write tiny gguf %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("write tiny gguf %s: %w", path, err)
	}
	return nil
}

// writeTinyGGUF writes the tiny model in GGUF v3 to w.
func writeTinyGGUF(w io.Writer, seed int64) error {
	tokens, scores, types, biases := tinyVocab()
	nVocab := uint64(len(tokens))

	// Every integer is a uint32 and every float a float32: Ollama's own GGUF
	// reader type-asserts them so (fs/ggml), and panics on anything else.
	kvs := []struct {
		key string
		val any
	}{
		{"general.architecture", "llama"},
		{"general.name", "chatdojo-tiny"},
		{"general.file_type", uint32(0)}, // all F32
		{"llama.context_length", uint32(tinyContext)},
		{"llama.embedding_length", uint32(tinyEmbd)},
		{"llama.block_count", uint32(tinyLayers)},
		{"llama.feed_forward_length", uint32(tinyFF)},
		{"llama.attention.head_count", uint32(tinyHeads)},
		{"llama.attention.head_count_kv", uint32(tinyHeads)},
		{"llama.rope.dimension_count", uint32(tinyRot)},
		{"llama.rope.freq_base", float32(10000)},
		{"llama.attention.layer_norm_rms_epsilon", float32(1e-5)},
		{"llama.vocab_size", uint32(nVocab)},
		{"tokenizer.ggml.model", "llama"},
		{"tokenizer.ggml.tokens", tokens},
		{"tokenizer.ggml.scores", scores},
		{"tokenizer.ggml.token_type", types},
		{"tokenizer.ggml.bos_token_id", uint32(tokenIDBOS)},
		{"tokenizer.ggml.eos_token_id", uint32(tokenIDEOS)},
		{"tokenizer.ggml.unknown_token_id", uint32(tokenIDUnknown)},
	}

	rng := rand.New(rand.NewPCG(uint64(seed), 0x63686174646f6a6f)) // "chatdojo"
	normal := func(n uint64, std float64) []float32 {
		d := make([]float32, n)
		for i := range d {
			d[i] = float32(rng.NormFloat64() * std)
		}
		return d
	}
	random := func(n uint64) []float32 { return normal(n, 0.02) }
	ones := func(n uint64) []float32 {
		d := make([]float32, n)
		for i := range d {
			d[i] = 1
		}
		return d
	}
	const embd, ff = uint64(tinyEmbd), uint64(tinyFF)

	// How the biases come out: every token's embedding has 1 in dimension 0
	// and noise of 0.3 elsewhere, and the layers add little to it (their
	// weights are 0.02), so that after the final RMS norm dimension 0 is about
	// 3.1 whatever the context, and the rest is about 0.93 per dimension,
	// depending mostly on the last token. Row t of output.weight is then
	// bias[t]/3.1 in dimension 0 and noise of 0.1 elsewhere: the logit of t
	// is bias[t] plus noise of about 0.74 that depends on the last token.
	const h0 = 3.1
	tokEmbd := normal(embd*nVocab, 0.3)
	output := normal(embd*nVocab, 0.1)
	for t := range nVocab {
		tokEmbd[t*embd] = 1
		output[t*embd] = biases[t] / h0
	}

	tensors := []tensor{
		{"token_embd.weight", []uint64{embd, nVocab}, tokEmbd},
		{"output_norm.weight", []uint64{embd}, ones(embd)},
		{"output.weight", []uint64{embd, nVocab}, output},
	}
	for i := range tinyLayers {
		blk := func(name string) string { return fmt.Sprintf("blk.%d.%s.weight", i, name) }
		tensors = append(tensors,
			tensor{blk("attn_norm"), []uint64{embd}, ones(embd)},
			tensor{blk("attn_q"), []uint64{embd, embd}, random(embd * embd)},
			tensor{blk("attn_k"), []uint64{embd, embd}, random(embd * embd)},
			tensor{blk("attn_v"), []uint64{embd, embd}, random(embd * embd)},
			tensor{blk("attn_output"), []uint64{embd, embd}, random(embd * embd)},
			tensor{blk("ffn_norm"), []uint64{embd}, ones(embd)},
			tensor{blk("ffn_gate"), []uint64{embd, ff}, random(embd * ff)},
			tensor{blk("ffn_up"), []uint64{embd, ff}, random(embd * ff)},
			tensor{blk("ffn_down"), []uint64{ff, embd}, random(ff * embd)},
		)
	}

	cw := &countingWriter{w: w}
	e := &encoder{w: cw}
	e.bytes([]byte("GGUF"))
	e.u32(3)
	e.u64(uint64(len(tensors)))
	e.u64(uint64(len(kvs)))
	for _, kv := range kvs {
		e.str(kv.key)
		e.value(kv.val)
	}
	var offset uint64 // of the tensor's data, from the start of the data section
	for _, t := range tensors {
		e.str(t.name)
		e.u32(uint32(len(t.shape)))
		for _, n := range t.shape {
			e.u64(n)
		}
		e.u32(ggmlTypeF32)
		e.u64(offset)
		offset += padded(uint64(len(t.data)) * 4)
	}
	e.pad(cw.n)
	for _, t := range tensors {
		for _, v := range t.data {
			e.u32(math.Float32bits(v))
		}
		e.pad(cw.n)
	}
	return e.err
}

// padded rounds n up to a multiple of ggufAlignment.
func padded(n uint64) uint64 {
	return (n + ggufAlignment - 1) / ggufAlignment * ggufAlignment
}

// countingWriter counts the bytes written, for the alignment padding.
type countingWriter struct {
	w io.Writer
	n uint64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += uint64(n)
	return n, err
}

// encoder writes little-endian GGUF values and keeps the first error.
type encoder struct {
	w   *countingWriter
	err error
}

func (e *encoder) bytes(b []byte) {
	if e.err == nil {
		_, e.err = e.w.Write(b)
	}
}

func (e *encoder) u32(v uint32) { e.bytes(binary.LittleEndian.AppendUint32(nil, v)) }

func (e *encoder) u64(v uint64) { e.bytes(binary.LittleEndian.AppendUint64(nil, v)) }

func (e *encoder) str(s string) {
	e.u64(uint64(len(s)))
	e.bytes([]byte(s))
}

// pad writes zeros up to the next multiple of ggufAlignment, given the bytes
// written so far.
func (e *encoder) pad(written uint64) {
	e.bytes(make([]byte, padded(written)-written))
}

// value writes a metadata value with its type.
func (e *encoder) value(v any) {
	switch v := v.(type) {
	case uint32:
		e.u32(ggufUint32)
		e.u32(v)
	case float32:
		e.u32(ggufFloat32)
		e.u32(math.Float32bits(v))
	case string:
		e.u32(ggufString)
		e.str(v)
	case []string:
		e.u32(ggufArray)
		e.u32(ggufString)
		e.u64(uint64(len(v)))
		for _, s := range v {
			e.str(s)
		}
	case []float32:
		e.u32(ggufArray)
		e.u32(ggufFloat32)
		e.u64(uint64(len(v)))
		for _, f := range v {
			e.u32(math.Float32bits(f))
		}
	case []int32:
		e.u32(ggufArray)
		e.u32(ggufInt32)
		e.u64(uint64(len(v)))
		for _, n := range v {
			e.u32(uint32(n))
		}
	default:
		if e.err == nil {
			e.err = errors.New("gguf: unsupported metadata type " + fmt.Sprintf("%T", v))
		}
	}
}

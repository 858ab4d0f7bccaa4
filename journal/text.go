package journal

import (
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"
)

// MaxText is the most one text field of an incident holds, in bytes (1
// MiB, about 170,000 words): an account longer than that belongs in an
// evidence file. Longer text is refused, never cut.
const MaxText = 1 << 20

// checkText checks every text of f, however deep: valid UTF-8 (anything
// else would be stored altered, with U+FFFD in place of the bytes typed)
// and at most [MaxText] bytes. The error names the field by its JSON key.
func checkText(f *Fields) error {
	return walkText(reflect.ValueOf(f).Elem(), "")
}

func walkText(v reflect.Value, name string) error {
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		if !utf8.ValidString(s) {
			return fmt.Errorf("%s is not valid UTF-8 text: it would not be kept as typed; save or type it as UTF-8", name)
		}
		if len(s) > MaxText {
			return fmt.Errorf("%s is %d bytes, more than the %d (1 MiB) one field holds: keep a long document as an evidence file", name, len(s), MaxText)
		}
	case reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if !t.Field(i).IsExported() {
				continue
			}
			key, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if key == "" || key == "-" {
				key = t.Field(i).Name
			}
			if name != "" {
				key = name + " " + key
			}
			if err := walkText(v.Field(i), key); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if err := walkText(v.Index(i), name); err != nil {
				return err
			}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return walkText(v.Elem(), name)
		}
	}
	return nil
}

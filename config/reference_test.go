package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// The reference documentation of the configuration, with the built-in
// defaults, is checked against README.md and the loader by the tests.

// Reference returns every configuration key with its environment variable,
// default and meaning, in documentation order.
func Reference() []Setting {
	def := reflect.ValueOf(Default())
	out := make([]Setting, len(settings))
	for i, s := range settings {
		if s.Key != "" {
			s.Default = formatValue(fieldByKey(def, s.Key))
		}
		out[i] = s
	}
	return out
}

// formatValue writes a value the way it would appear in YAML.
func formatValue(v reflect.Value) string {
	if v.Type() == durationType {
		return FormatDuration(time.Duration(v.Int()))
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Slice:
		if v.Len() == 0 {
			return "[]"
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = formatValue(v.Index(i))
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	return fmt.Sprint(v.Interface())
}

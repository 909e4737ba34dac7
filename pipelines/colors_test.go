package pipelines_test

import (
	"math"
	"strconv"
	"testing"

	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

// visions simulate how people see colours, as matrices on linear RGB:
// normal vision, and complete protanopia, deuteranopia and tritanopia
// (Machado, Oliveira and Fernandes 2009, severity 1).
// minDelta is the least CIE76 colour difference (ΔE) any two types'
// colours must keep in that vision. With 14 types the colour-blind
// visions cannot reach what normal vision does; the old page's violets
// for Protest and Meeting (ΔE 15.9) and ambers for Election and Arms
// transfer (2.5 for deuteranopia) fell short.
var visions = []struct {
	name     string
	m        [3][3]float64
	minDelta float64
}{
	{"normal", [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, 18},
	{"protanopia", [3][3]float64{{0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}}, 11.5},
	{"deuteranopia", [3][3]float64{{0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}}, 11.5},
	{"tritanopia", [3][3]float64{{1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}}, 11.5},
}

// TestColorsTellTypesApart checks that the colours of the built-in types
// stay distinguishable for people with normal vision and with each kind
// of colour blindness, so that no two types (Protest and Meeting,
// Election and Arms transfer) look alike on the page.
func TestColorsTellTypesApart(t *testing.T) {
	types, err := pipelines.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range visions {
		t.Run(v.name, func(t *testing.T) {
			for i, a := range types {
				for _, b := range types[i+1:] {
					if a.Color == "" || b.Color == "" {
						continue // TestTypesHaveTheirFacts reports it
					}
					if d := deltaE(lab(v.m, a), lab(v.m, b)); d < v.minDelta {
						t.Errorf("%s %s and %s %s differ by ΔE %.1f, want at least %.1f", a.ID, a.Color, b.ID, b.Color, d, v.minDelta)
					}
				}
			}
		})
	}
}

// lab returns the CIELAB colour (D65) of a type's colour seen through m.
func lab(m [3][3]float64, f rules.TypeFacts) [3]float64 {
	var rgb [3]float64
	for i := range rgb {
		n, _ := strconv.ParseUint(f.Color[1+2*i:3+2*i], 16, 8)
		c := float64(n) / 255
		if c <= 0.04045 {
			rgb[i] = c / 12.92
		} else {
			rgb[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	var s [3]float64
	for i := range s {
		s[i] = min(1, max(0, m[i][0]*rgb[0]+m[i][1]*rgb[1]+m[i][2]*rgb[2]))
	}
	x := (0.4124*s[0] + 0.3576*s[1] + 0.1805*s[2]) / 0.95047
	y := 0.2126*s[0] + 0.7152*s[1] + 0.0722*s[2]
	z := (0.0193*s[0] + 0.1192*s[1] + 0.9505*s[2]) / 1.08883
	fn := func(t float64) float64 {
		if t > 0.008856 {
			return math.Cbrt(t)
		}
		return 7.787*t + 16.0/116
	}
	return [3]float64{116*fn(y) - 16, 500 * (fn(x) - fn(y)), 200 * (fn(y) - fn(z))}
}

func deltaE(a, b [3]float64) float64 {
	return math.Sqrt((a[0]-b[0])*(a[0]-b[0]) + (a[1]-b[1])*(a[1]-b[1]) + (a[2]-b[2])*(a[2]-b[2]))
}

package export

// clipParam shortens a value quoted back in an error message.
func clipParam(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

//go:build race

package extract

// raceSlowdown scales time budgets under the race detector, which makes
// every memory access several times slower.
const raceSlowdown = 5

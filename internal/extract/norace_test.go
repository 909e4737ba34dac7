//go:build !race

package extract

// raceSlowdown scales time budgets under the race detector; without it
// budgets apply as written.
const raceSlowdown = 1

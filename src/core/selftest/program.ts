/**
 * The program the self-test debugs: a struct with a map, a long string and a second goroutine
 * that is parked at the breakpoint, so one stop exercises the variable kinds users look at most.
 */
export const SELFTEST_MAIN = `package main

import (
	"fmt"
	"strings"
)

type Order struct {
	ID    int
	Items map[string]int
	Note  string
}

func worker(started chan<- struct{}, release <-chan struct{}, done chan<- int) {
	close(started)
	<-release
	done <- 1
}

func main() {
	started, release, done := make(chan struct{}), make(chan struct{}), make(chan int)
	go worker(started, release, done)
	<-started
	long := strings.Repeat("0123456789", 100)
	order := Order{ID: 7, Items: map[string]int{"apple": 3, "pear": 5}, Note: "rush"}
	fmt.Println(order.ID, len(long))
	close(release)
	fmt.Println("done", <-done)
}
`;

/** The line of `fmt.Println(order.ID, len(long))`, where the session stops. */
export const SELFTEST_BREAK_LINE = SELFTEST_MAIN.split('\n').findIndex((l) => l.includes('fmt.Println(order.ID')) + 1;

export const SELFTEST_MODULE = 'example.com/gdd-selftest';

// Package threadcpu measures the CPU time of the calling OS thread, for
// benchmarks that report one core's work: on a loaded machine wall time
// measures the queue, the thread's CPU time the work. Callers lock the
// goroutine to its thread (runtime.LockOSThread) around what they time.
package threadcpu

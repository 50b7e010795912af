// Package layout enforces the direction of the project's imports (see
// docs/architecture.md): the runtime never imports the evaluation wing
// (internal/eval) or the system tests (internal/systest); the pure check
// packages (imagecheck, face, kyc, docread) never import the workers, the
// API or a storage driver; and tasks, the producer/worker contract,
// imports nothing of the project. Its test reads the import graph with
// "go list -deps -json".
package layout

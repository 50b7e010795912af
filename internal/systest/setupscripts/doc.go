// Package setupscripts tests the project's shell set-up: the helpers of
// scripts/setup.d (need_pkg) and the test services of
// scripts/test-services.sh. The tests run the real scripts with bash.
package setupscripts

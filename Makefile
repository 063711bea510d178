# mesd: the two set-up commands are `make run` and `make test`; everything
# else here is a step of theirs. The real build is CMake (CMakeLists.txt).
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
# seconds each libFuzzer target runs in `make test` (CI sets 60)
FUZZ_SECONDS ?= 10

.PHONY: all build run test deps test-deps unit asan clean

all: build

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMESD_WERROR=ON

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j$(JOBS)

run: build
	./$(BUILD)/mesd serve --demo

# Every test: the gcc build with -Werror (unit, differential against
# graphql-js, e2e, valgrind), then clang with ASan+UBSan (unit and e2e tests
# again, and each fuzz target for FUZZ_SECONDS). The run ends with ctest's summary.
test: test-deps build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS)
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	  -DMESD_WERROR=ON -DMESD_SANITIZE=ON -DMESD_FUZZ=ON -DMESD_FUZZ_SECONDS=$(FUZZ_SECONDS)
	cmake --build $(ASAN_BUILD) -j$(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j$(JOBS) -L 'unit|fuzz|e2e'

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)

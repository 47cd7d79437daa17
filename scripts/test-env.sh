# Sourced by `make test`: where the real services started by test-services.sh listen.
export TEST_POSTGRES_URL=${TEST_POSTGRES_URL:-postgres://jianglian:jianglian@127.0.0.1:5432/jianglian}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/0}

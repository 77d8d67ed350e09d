package io.dino.loadgen;

/**
 * Marks the measured part of one operation of the {@code ops} workload: an operation calls {@link #start()}
 * right before and {@link #stop()} right after what it times, and does its untimed set-up and clean-up
 * outside. The warm-up runs the same operations with {@link #NONE}.
 */
interface OpTimer {

    OpTimer NONE = new OpTimer() {
        @Override
        public void start() {
        }

        @Override
        public void stop() {
        }
    };

    void start();

    void stop();
}

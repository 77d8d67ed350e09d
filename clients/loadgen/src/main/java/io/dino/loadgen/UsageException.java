package io.dino.loadgen;

/** Bad command-line arguments: LoadGen prints the message and the usage text, and exits with status 2. */
final class UsageException extends RuntimeException {

    UsageException(String message) {
        super(message);
    }
}

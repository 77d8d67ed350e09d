package io.dino.loadgen;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One kind of load. LoadGen prints the report {@link #run()} returns as the program's only stdout output. */
interface Workload {

    ObjectNode run() throws Exception;
}

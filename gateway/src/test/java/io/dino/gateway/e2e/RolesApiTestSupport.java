package io.dino.gateway.e2e;

import io.dino.api.v1.RolesGrpc;
import io.dino.gateway.TestNode;

/** A Roles stub on a test node that sends the test API key (for tests outside this package). */
public final class RolesApiTestSupport {

    private RolesApiTestSupport() {
    }

    public static RolesGrpc.RolesBlockingStub roles(TestNode node) {
        return RolesApiTest.roles(node, TestNode.API_KEY);
    }
}

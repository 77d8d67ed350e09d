package io.dino.gateway.acl;

/** An action that access rules guard ({@link RoomAction}, {@link ChannelAction}); each has at most one rule. */
public interface AclAction {

    /** The name used in the protocol, the gRPC API and storage. */
    String id();
}

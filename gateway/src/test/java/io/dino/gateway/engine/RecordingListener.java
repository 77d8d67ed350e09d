package io.dino.gateway.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what an engine delivers, for engine tests; called from engine threads. */
public final class RecordingListener implements DeliveryListener {

    public final List<Publication> publications = new CopyOnWriteArrayList<>();
    public final List<Publication> broadcasts = new CopyOnWriteArrayList<>();
    public final List<String> memberships = new CopyOnWriteArrayList<>();
    public final List<Control> controls = new CopyOnWriteArrayList<>();
    /** What {@link #onControl} answers: the sessions this "node" holds. */
    public volatile int sessionsAffected;

    @Override
    public void onPublication(Publication publication) {
        publications.add(publication);
    }

    @Override
    public void onBroadcast(Publication publication) {
        broadcasts.add(publication);
    }

    @Override
    public void onMembership(String room, String user, boolean joined, Audience audience) {
        memberships.add(room + " " + user + (joined ? " joined" : " left") + (audience == Audience.EVERYONE ? "" : " for " + audience));
    }

    @Override
    public int onControl(Control command) {
        controls.add(command);
        return sessionsAffected;
    }

    public List<Long> offsetsOf(LogId log) {
        return publications.stream().filter(p -> p.log().equals(log)).map(p -> p.position().offset()).toList();
    }
}

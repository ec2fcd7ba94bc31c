package org.noduled.dicom.outbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.noduled.dicom.net.Destination;

/** Keeps every outbox event, and passes it on to the logging listener so the test output shows the log. */
public final class RecordingListener implements OutboxListener {

    public record Failure(String srUid, String destination, boolean refused, int failures, String problem,
            Duration retryIn) {
    }

    final List<String> submitted = new CopyOnWriteArrayList<>();
    final List<String> delivered = new CopyOnWriteArrayList<>();
    final List<String> completed = new CopyOnWriteArrayList<>();
    final List<Failure> failures = new CopyOnWriteArrayList<>();
    private final OutboxListener log = OutboxListener.logging();

    @Override
    public void submitted(String srSopInstanceUid, String sourceSeriesUid) {
        submitted.add(srSopInstanceUid);
        log.submitted(srSopInstanceUid, sourceSeriesUid);
    }

    @Override
    public void delivered(String srSopInstanceUid, String sourceSeriesUid, Destination destination) {
        delivered.add(srSopInstanceUid + " -> " + destination.name());
        log.delivered(srSopInstanceUid, sourceSeriesUid, destination);
    }

    @Override
    public void deliveryFailed(String srSopInstanceUid, String sourceSeriesUid, Destination destination,
            boolean refused, int failures, String problem, Duration retryIn) {
        this.failures.add(new Failure(srSopInstanceUid, destination.name(), refused, failures, problem, retryIn));
        log.deliveryFailed(srSopInstanceUid, sourceSeriesUid, destination, refused, failures, problem, retryIn);
    }

    @Override
    public void completed(String srSopInstanceUid, String sourceSeriesUid) {
        completed.add(srSopInstanceUid);
        log.completed(srSopInstanceUid, sourceSeriesUid);
    }

    public List<Duration> retryDelays() {
        return failures.stream().map(Failure::retryIn).toList();
    }
}

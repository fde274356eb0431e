package dev.apoptosis.cluster;

/**
 * Spark's failures as one readable line. A failed job is a SparkException whose message embeds the
 * executor's stack trace ("Job aborted due to stage failure: Task 3 in stage 1.0 failed 4 times,
 * most recent failure: Lost task ...: java.lang.IllegalStateException: ... \n\tat ..."), usually
 * with the executor's exception as its cause; the user needs the first line of the outermost
 * exception that is not Spark's own, which is what the executor said (our code wraps low-level
 * causes in a message naming the host and the data).
 */
final class Failures {
    private Failures() {}

    static String summary(Throwable t) {
        Throwable pick = t;
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            pick = c;
            if (!c.getClass().getName().startsWith("org.apache.spark.")) break;
        }
        String m = pick.getMessage() == null ? pick.getClass().getName() : pick.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}

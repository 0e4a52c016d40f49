package io.github.pcapunit.core.check.internal;

import java.util.List;

/**
 * Assembles the "Expecting ... to ... but ..." shape shared by every message factory: the
 * capture, the expectation, the finding, at most {@value #MAX_LINES} evidence lines with
 * "... and N more", then the sentences about capture loss and kernel evidence.
 */
public final class FailureText {

    /** Evidence lines shown before "... and N more": a screenful. */
    public static final int MAX_LINES = 20;

    private FailureText() {
    }

    /**
     * Builds a failure message.
     *
     * @param context the capture-wide facts (file, capture loss, kernel evidence)
     * @param to what was expected, starting with "to "
     * @param but what was found, starting with "but "; a colon is appended when evidence follows
     * @param evidence one-line summaries of the offending packets or flows, best first
     * @param total how many offending items exist (may exceed {@code evidence.size()})
     * @param withKernelEvidence whether a missing-kernel-evidence sentence belongs in this message
     * @return the message text, lines separated by {@code \n}
     */
    public static String build(MessageContext context, String to, String but, List<String> evidence,
                               int total, boolean withKernelEvidence) {
        StringBuilder text = new StringBuilder(256);
        text.append("Expecting ").append(subject(context)).append('\n');
        text.append(to).append('\n');
        text.append(but);
        if (!evidence.isEmpty()) {
            text.append(':');
            int shown = Math.min(MAX_LINES, evidence.size());
            for (int i = 0; i < shown; i++) {
                text.append("\n  ").append(evidence.get(i));
            }
            int more = Math.max(total, evidence.size()) - shown;
            if (more > 0) {
                text.append("\n  ... and ").append(more).append(" more");
            }
        }
        if (context.captureLoss() != null) {
            text.append('\n').append(context.captureLoss());
        }
        if (withKernelEvidence && context.kernelEvidence() != null) {
            text.append('\n').append(context.kernelEvidence());
        }
        return text.toString();
    }

    /**
     * Builds a failure message that leads with the verdict: one sentence saying what happened,
     * then the evidence lines (at most {@value #MAX_LINES}, then "... and N more"), then the
     * file, the expectation and the finding, then the capture-wide sentences.
     *
     * @param lead the verdict, one sentence (a period is added when missing)
     * @param evidence the lines the verdict rests on
     * @param to what was expected, starting with "to "
     * @param but what was found, starting with "but "
     */
    public static String verdictFirst(MessageContext context, String lead, List<String> evidence, String to,
                                      String but, boolean withKernelEvidence) {
        StringBuilder text = new StringBuilder(256);
        text.append(lead.endsWith(".") ? lead : lead + ".");
        int shown = Math.min(MAX_LINES, evidence.size());
        for (int i = 0; i < shown; i++) {
            text.append("\n  ").append(evidence.get(i));
        }
        if (evidence.size() > shown) {
            text.append("\n  ... and ").append(evidence.size() - shown).append(" more");
        }
        text.append('\n').append(build(context, to, but, List.of(), 0, withKernelEvidence));
        return text.toString();
    }

    /** "the traffic captured in /x.pcapng" or "the captured traffic" when there is no file. */
    static String subject(MessageContext context) {
        return context.fileIfAny()
                .map(file -> "the traffic captured in " + file)
                .orElse("the captured traffic");
    }

    /** "1 drop", "3 drops". */
    public static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}

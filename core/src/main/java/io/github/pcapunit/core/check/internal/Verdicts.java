package io.github.pcapunit.core.check.internal;

import io.github.pcapunit.core.analysis.Drop;
import io.github.pcapunit.core.analysis.Fate;
import io.github.pcapunit.core.analysis.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The verdict that leads a failure message, and the evidence lines under it: for one failed
 * flow its sentence and evidence; for several, a count per fate, then each flow's verdict with
 * its evidence indented.
 *
 * <pre>{@code
 * String lead = Verdicts.lead(failing, List.of(), "to port 1433");
 * List<String> lines = Verdicts.lines(failing, List.of());
 * }</pre>
 */
public final class Verdicts {

    private Verdicts() {
    }

    /**
     * One sentence: the single failed flow's verdict with its confidence, or "3 flows to port 1433
     * failed: 2 refused by the server, 1 unanswered", plus capture loss.
     *
     * @param target "to port 1433", "to 10.0.1.20:1433", or "" for anywhere
     */
    public static String lead(List<Verdict> failing, List<Drop> loss, String target) {
        if (failing.size() == 1 && loss.isEmpty()) {
            return one(failing.get(0));
        }
        StringBuilder s = new StringBuilder();
        if (!failing.isEmpty()) {
            Map<String, Integer> byFate = new LinkedHashMap<>();
            for (Verdict v : failing) {
                byFate.merge(v.isFailure() ? v.fate().text() : Fate.COMPLETED.text() + " with losses", 1, Integer::sum);
            }
            List<String> parts = new ArrayList<>();
            byFate.forEach((fate, n) -> parts.add(n + " " + fate));
            s.append(FailureText.count(failing.size(), "flow", "flows")).append(target.isEmpty() ? "" : " " + target)
                    .append(failing.size() == 1 ? " failed: " : " failed: ").append(String.join(", ", parts));
        }
        if (!loss.isEmpty()) {
            s.append(s.length() == 0 ? "The capture itself lost packets" : "; the capture itself lost packets");
        }
        return s.toString();
    }

    /** {@code sentence (observed)}: the verdict of one flow as a lead sentence. */
    public static String one(Verdict v) {
        String s = v.sentence();
        if (!v.isFailure()) {
            s = s + ": it completed, but packets of it were lost on the way";
        }
        return Character.toUpperCase(s.charAt(0)) + s.substring(1) + " (" + v.confidence().text() + ")";
    }

    /** The evidence lines under {@link #lead}. */
    public static List<String> lines(List<Verdict> failing, List<Drop> loss) {
        List<String> out = new ArrayList<>();
        if (failing.size() == 1 && loss.isEmpty()) {
            Verdict v = failing.get(0);
            out.addAll(v.evidence());
            if (v.evidence().isEmpty()) {
                v.drops().forEach(d -> out.add(d.description()));
            }
            return out;
        }
        for (Drop d : loss) {
            out.add(d.description());
        }
        for (Verdict v : failing) {
            out.add(v.toString());
            v.evidence().forEach(e -> out.add("  " + e));
        }
        return out;
    }
}

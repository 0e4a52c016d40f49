package io.github.pcapunit.core.analysis;

import io.github.pcapunit.core.analysis.internal.PacketIdentity;
import io.github.pcapunit.core.packet.DecodedPacket;
import io.github.pcapunit.core.pcapng.Direction;
import io.github.pcapunit.core.pcapng.InterfaceDescription;
import io.github.pcapunit.core.pcapng.Packet;
import io.github.pcapunit.core.pcapng.PcapReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One IP packet followed across the capture points of a file (a capture with several
 * {@code CapturePoint}s names its interfaces {@code <point>/<interface>}): every place it was
 * seen, in time order, and so where it was seen last — where it vanished, if it did. The same
 * packet is recognised at every hop by what forwarding leaves alone: addresses, protocol, IPv4
 * identification and the transport bytes (TCP sequence, flags, payload). A copy seen again at a
 * place it was already seen (a retransmission) starts a new path.
 *
 * <pre>{@code
 * CapturedTraffic traffic = CapturedTraffic.of(result);
 * for (PacketPath p : PacketPath.of(traffic, DecodedPacket::isSyn)) {
 *     System.out.println(p.describe());
 *     // SYN 10.200.41.10:40312 → 10.200.42.20:5432: left client (client/any out),
 *     //   reached router (router/any in), never left router; last seen at router/any
 * }
 * }</pre>
 */
public final class PacketPath {

    /** Longest time between two sightings of one packet; later copies are other packets. */
    static final Duration MAX_HOP_DELAY = Duration.ofSeconds(1);

    /**
     * One sighting: the capture point (the part of the interface name before {@code /}, or the
     * whole name for an interface of the JVM's own namespace), the interface as the file names it,
     * the direction there, when, and the frame number in the file.
     */
    public record Sighting(String point, String interfaceName, Direction direction, Instant time, long frameNumber) {

        /** E.g. {@code router/any in}. */
        @Override
        public String toString() {
            return interfaceName + (direction == Direction.INBOUND ? " in" : direction == Direction.OUTBOUND ? " out" : "");
        }
    }

    private final DecodedPacket packet;
    private final List<Sighting> sightings;

    private PacketPath(DecodedPacket packet, List<Sighting> sightings) {
        this.packet = packet;
        this.sightings = List.copyOf(sightings);
    }

    /** Every IP packet of {@code traffic} (respecting its filter), in order of first sighting. */
    public static List<PacketPath> of(CapturedTraffic traffic) {
        return of(traffic, p -> true);
    }

    /**
     * The IP packets of {@code traffic} whose first sighting matches {@code which}, e.g.
     * {@code DecodedPacket::isSyn}, in order of first sighting.
     */
    public static List<PacketPath> of(CapturedTraffic traffic, Predicate<DecodedPacket> which) {
        Objects.requireNonNull(which, "which");
        Set<Long> selected = new HashSet<>();
        traffic.packets().forEach(p -> selected.add(p.frameNumber()));
        List<List<Sighting>> paths = new ArrayList<>();
        List<Long> firstFrames = new ArrayList<>();
        Map<String, Integer> open = new HashMap<>();
        Map<Integer, Set<String>> places = new HashMap<>();
        try (PcapReader reader = PcapReader.open(traffic.path())) {
            for (Packet p : reader) {
                if (!selected.contains(p.frameNumber())) {
                    continue;
                }
                String id = PacketIdentity.of(p.data(), p.linkType().value());
                if (id == null) {
                    continue;
                }
                List<InterfaceDescription> ifs = reader.interfaces();
                String name = p.interfaceId() < ifs.size()
                        ? ifs.get(p.interfaceId()).name().orElse("if" + p.interfaceId()) : "if" + p.interfaceId();
                Sighting s = new Sighting(point(name), name, p.direction(), p.timestamp(), p.frameNumber());
                Integer index = open.get(id);
                String place = s.toString();
                if (index == null || places.get(index).contains(place) || Duration.between(
                        last(paths.get(index)).time(), s.time()).compareTo(MAX_HOP_DELAY) > 0) {
                    index = paths.size();
                    paths.add(new ArrayList<>());
                    places.put(index, new HashSet<>());
                    firstFrames.add(p.frameNumber());
                    open.put(id, index);
                }
                paths.get(index).add(s);
                places.get(index).add(place);
            }
        }
        Map<Long, DecodedPacket> decoded = new HashMap<>();
        for (DecodedPacket d : traffic.packets(firstFrames)) {
            decoded.put(d.frameNumber(), d);
        }
        List<PacketPath> result = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            DecodedPacket d = decoded.get(firstFrames.get(i));
            if (d != null && which.test(d)) {
                result.add(new PacketPath(d, paths.get(i)));
            }
        }
        return result;
    }

    /** The packet as first seen. */
    public DecodedPacket packet() {
        return packet;
    }

    /** Where it was seen, in time order; never empty. */
    public List<Sighting> sightings() {
        return sightings;
    }

    /** The capture points it was seen at, in order. */
    public List<String> points() {
        return List.copyOf(new LinkedHashSet<>(sightings.stream().map(Sighting::point).toList()));
    }

    /** Whether it was seen at {@code point} (e.g. {@code "router"}). */
    public boolean reached(String point) {
        return sightings.stream().anyMatch(s -> s.point().equals(point));
    }

    /** Where it was seen last. */
    public Sighting lastSeen() {
        return last(sightings);
    }

    /**
     * The point it entered last and was never seen leaving, if it did: for a packet to another
     * host, where it vanished (for the packet's destination, where it was delivered or dropped
     * on input; kernel evidence tells which).
     */
    public Optional<String> neverLeft() {
        Sighting last = lastSeen();
        return last.direction() == Direction.INBOUND ? Optional.of(last.point()) : Optional.empty();
    }

    /**
     * One line: the packet, then each point with what it did there, e.g.
     * {@code SYN 10.200.41.10:40312 → 10.200.42.20:5432: left client (client/any out), reached
     * router (router/any in), never left router; last seen at router/any}.
     */
    public String describe() {
        StringBuilder b = new StringBuilder(packet.summary()).append(": ");
        List<String> parts = new ArrayList<>();
        for (String point : points()) {
            List<Sighting> here = sightings.stream().filter(s -> s.point().equals(point)).toList();
            boolean in = here.stream().anyMatch(s -> s.direction() == Direction.INBOUND);
            boolean out = here.stream().anyMatch(s -> s.direction() == Direction.OUTBOUND);
            String verb = in && out ? "passed " : out ? "left " : in ? "reached " : "seen at ";
            parts.add(verb + point + " (" + String.join(", ", here.stream().map(Sighting::toString).toList()) + ")");
        }
        b.append(String.join(", ", parts));
        neverLeft().ifPresent(p -> b.append(", never left ").append(p));
        return b.append("; last seen at ").append(lastSeen().interfaceName()).toString();
    }

    @Override
    public String toString() {
        return describe();
    }

    private static String point(String interfaceName) {
        int slash = interfaceName.indexOf('/');
        return slash > 0 ? interfaceName.substring(0, slash) : interfaceName;
    }

    private static Sighting last(List<Sighting> list) {
        return list.get(list.size() - 1);
    }
}

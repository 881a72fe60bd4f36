package io.chainseal.governance;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one voter chose, in the shape its voting type needs: choices are 0-based indexes into the
 * proposal's list. Build with {@link #single}, {@link #approval}, {@link #weighted} or {@link #ranked}.
 *
 * @param shares choice → share (single and approval ballots give each named choice share 1; weighted
 *     and quadratic ballots give positive shares, used as proportions)
 * @param ranking choices from most to least preferred (ranked-choice ballots only; empty otherwise)
 */
public record Ballot(Map<Integer, Long> shares, List<Integer> ranking) {
  public Ballot {
    shares = Map.copyOf(shares);
    ranking = List.copyOf(ranking);
    for (Map.Entry<Integer, Long> share : shares.entrySet()) {
      if (share.getKey() < 0 || share.getValue() <= 0) {
        throw new IllegalArgumentException("choices are 0 or more and shares positive, got " + share);
      }
    }
    if (new LinkedHashSet<>(ranking).size() != ranking.size() || ranking.stream().anyMatch(c -> c < 0)) {
      throw new IllegalArgumentException("a ranking names each choice once, each 0 or more: " + ranking);
    }
  }

  /** A single-choice ballot. */
  public static Ballot single(int choice) {
    return new Ballot(Map.of(choice, 1L), List.of());
  }

  /** An approval ballot: every choice in {@code approved} gets the whole weight. */
  public static Ballot approval(Set<Integer> approved) {
    Map<Integer, Long> shares = new LinkedHashMap<>();
    for (int choice : Objects.requireNonNull(approved, "approved == null")) {
      shares.put(choice, 1L);
    }
    return new Ballot(shares, List.of());
  }

  /** A weighted (or quadratic) ballot: the weight split in proportion to {@code shares}. */
  public static Ballot weighted(Map<Integer, Long> shares) {
    return new Ballot(shares, List.of());
  }

  /** A ranked ballot, most preferred first. */
  public static Ballot ranked(List<Integer> ranking) {
    return new Ballot(Map.of(), new ArrayList<>(ranking));
  }
}

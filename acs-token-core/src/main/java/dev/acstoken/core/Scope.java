package dev.acstoken.core;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A scope of an ACS access token: what the token lets its holder do.
 *
 * <p>The join scopes ({@link #CHAT_JOIN}, {@link #CHAT_JOIN_LIMITED}, {@link #VOIP_JOIN}) exist
 * from api-version {@code 2023-10-01}.
 */
public enum Scope {
  /** Full access to the Chat APIs. */
  CHAT("chat"),
  /** Full access to the Calling APIs. */
  VOIP("voip"),
  /** Chat without creating, deleting or updating chat threads. */
  CHAT_JOIN("chat.join"),
  /** Like {@link #CHAT_JOIN}, without adding or removing participants. */
  CHAT_JOIN_LIMITED("chat.join.limited"),
  /** Calling without starting new calls. */
  VOIP_JOIN("voip.join");

  private final String wireName;

  Scope(String wireName) {
    this.wireName = wireName;
  }

  /** {@return the name of the scope as the service spells it, e.g. {@code chat.join}} */
  public String wireName() {
    return wireName;
  }

  /**
   * Returns the scope of a wire name, ignoring case and surrounding blanks.
   *
   * @param wireName a name such as {@code voip} or {@code chat.join}
   * @return the scope
   * @throws IllegalArgumentException if the name is not one of the five scopes
   */
  public static Scope fromWireName(String wireName) {
    if (wireName == null) {
      throw new IllegalArgumentException("scope must not be null; allowed: " + allowed());
    }
    String wanted = wireName.trim().toLowerCase(Locale.ROOT);
    for (Scope scope : values()) {
      if (scope.wireName.equals(wanted)) {
        return scope;
      }
    }
    throw new IllegalArgumentException("unknown scope '" + wireName + "'; allowed: " + allowed());
  }

  /**
   * Returns the canonical form of a scope set: in the order of this enum, without duplicates, not
   * modifiable; equal sets of scopes give equal results.
   *
   * @param scopes at least one scope
   * @return the canonical set
   * @throws IllegalArgumentException if the scopes are null, empty or contain null; the message
   *     lists the allowed scopes
   */
  public static Set<Scope> canonical(Collection<Scope> scopes) {
    if (scopes == null) {
      throw new IllegalArgumentException("scopes must not be null; allowed: " + allowed());
    }
    if (scopes.isEmpty()) {
      throw new IllegalArgumentException("at least one scope is required; allowed: " + allowed());
    }
    EnumSet<Scope> set = EnumSet.noneOf(Scope.class);
    for (Scope s : scopes) {
      if (s == null) {
        throw new IllegalArgumentException("scopes must not contain null; allowed: " + allowed());
      }
      set.add(s);
    }
    return Collections.unmodifiableSet(set);
  }

  static String allowed() {
    return Arrays.stream(values()).map(Scope::wireName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return wireName;
  }
}

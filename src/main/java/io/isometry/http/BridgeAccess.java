package io.isometry.http;

import io.isometry.auth.Principal;
import io.isometry.auth.TokenRegistry;
import io.isometry.contract.Addresses;
import io.isometry.contract.Role;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeOptions;
import io.vertx.ext.bridge.PermittedOptions;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rules both event-bus bridges (SockJS and TCP) apply to their clients' frames:
 * <ul>
 *   <li>inbound only the public request addresses, outbound only the public event addresses and
 *       their owner-scoped channels ({@link OwnerChannels});</li>
 *   <li>every {@code send} and {@code register} frame carries the token in its headers
 *       ({@code "headers": {"token": ...}}); a frame without a valid one is refused;</li>
 *   <li>who asks is the token's principal: the {@code owner} and {@code role} headers are
 *       overwritten with it, whatever the client sent, and the token is taken out;</li>
 *   <li>{@code publish} is refused (requests are request/reply); submits count against the rate limit;</li>
 *   <li>a connection without a valid token after {@link #AUTH_GRACE_MS} is closed, and no frame may be
 *       longer than {@code http.maxBodyBytes}.</li>
 * </ul>
 */
final class BridgeAccess {

  /** The frame header that carries the token. */
  static final String TOKEN_HEADER = "token";

  /**
   * How long a bridge connection may stay without a frame carrying a valid token. A client sends one
   * at once; a connection that says nothing only holds a socket and its buffers.
   */
  static final long AUTH_GRACE_MS = 5_000;

  static final List<String> REQUEST_ADDRESSES = List.of(Addresses.SUBMIT, Addresses.CANCEL, Addresses.SUSPEND,
      Addresses.RESUME, Addresses.BACKGROUND, Addresses.STDIN, Addresses.RESIZE, Addresses.GET, Addresses.LIST,
      Addresses.OUTPUT, Addresses.STATS, Addresses.CAPABILITIES, Addresses.VALIDATE, Addresses.HISTORY,
      Addresses.REJECTIONS, Addresses.CLUSTER);

  private static final String HEADERS = "headers";
  private static final String ADDRESS = "address";

  private final TokenRegistry tokens;
  private final SubmitLimiter limiter;

  BridgeAccess(TokenRegistry tokens, SubmitLimiter limiter) {
    this.tokens = tokens;
    this.limiter = limiter;
  }

  /** The permitted addresses, as the bridges' options. */
  static <T extends BridgeOptions> T permitted(T options) {
    REQUEST_ADDRESSES.forEach(address -> options.addInboundPermitted(new PermittedOptions().setAddress(address)));
    EngineEvents.ADDRESSES.forEach(address -> options.addOutboundPermitted(new PermittedOptions().setAddress(address)));
    OwnerChannels.OWNED.forEach(address -> options.addOutboundPermitted(
        new PermittedOptions().setAddressRegex(Pattern.quote(address + OwnerChannels.SEPARATOR) + ".+")));
    return options;
  }

  /** Whether bridge clients may listen on {@code address}: a public event address or an owner's channel. */
  static boolean isEventAddress(String address) {
    return address != null && (EngineEvents.ADDRESSES.contains(address) || OwnerChannels.ownerOf(address).isPresent());
  }

  static String address(JsonObject frame) {
    return frame == null ? null : frame.getString(ADDRESS);
  }

  /** The principal of the token in the frame's headers. */
  Optional<Principal> authenticate(JsonObject frame) {
    if (frame == null || !(frame.getValue(HEADERS) instanceof JsonObject headers)
        || !(headers.getValue(TOKEN_HEADER) instanceof String token)) {
      return Optional.empty();
    }
    return tokens.authenticate(token);
  }

  /**
   * Whether a {@code send} may go on, and if so makes it speak for {@code principal}: its headers
   * (changed in place, which is how a bridge event changes the frame it passes on) lose the token and
   * whatever the client said about who it is, and gain the principal and its role.
   */
  boolean admitSend(JsonObject frame, Principal principal) {
    if (Addresses.SUBMIT.equals(address(frame)) && principal.mayControl()) {
      try {
        limiter.acquire(principal);
      } catch (RateLimited limited) {
        return false;
      }
    }
    // Made from scratch: nothing a client wrote survives, in any spelling (the event bus reads header
    // names without regard to case, and a copied "Role" would come before the one put here).
    frame.put(HEADERS, new JsonObject()
        .put(Addresses.HEADER_OWNER, principal.name())
        .put(Addresses.HEADER_ROLE, principal.role().wire()));
    return true;
  }

  /**
   * Whether {@code principal} may listen on {@code address}: stats and its own scoped channels always,
   * another's channel only with a role that sees everything. An operator on a shared event address
   * only where the bridge can filter what it relays ({@code filtered}); the TCP bridge cannot.
   */
  static boolean mayRegister(String address, Principal principal, boolean filtered) {
    if (Addresses.EVENT_STATS.equals(address)) {
      return true;
    }
    Optional<String> owner = OwnerChannels.ownerOf(address);
    if (owner.isPresent()) {
      return principal.sees(owner.get());
    }
    return filtered || principal.role() != Role.OPERATOR;
  }
}

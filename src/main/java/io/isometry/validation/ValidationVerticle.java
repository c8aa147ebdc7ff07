package io.isometry.validation;

import io.isometry.config.EngineConfig;
import io.isometry.contract.Addresses;
import io.isometry.contract.EngineError;
import io.isometry.contract.SubmitRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@link Addresses#VALIDATE} with {@code {allowed, violations, plan}}. Deploy it as a
 * worker (the policy looks at the file system); it keeps no state, so any number of instances
 * may share the address.
 */
public final class ValidationVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ValidationVerticle.class);

  private SecurityPolicy policy;

  @Override
  public Future<?> start() {
    policy = SecurityPolicy.create(EngineConfig.from(config()));
    LOG.debug("Validation ready with allowed commands {}", policy.allowedCommands());
    return vertx.eventBus().<Object>consumer(Addresses.VALIDATE, this::validate).completion();
  }

  private void validate(Message<Object> message) {
    try {
      // A body that is not a JSON object reaches fromJson as null, which it refuses as such.
      JsonObject body = message.body() instanceof JsonObject json ? json : null;
      message.reply(policy.validate(SubmitRequest.fromJson(body)).toJson());
    } catch (EngineError e) {
      e.failReply(message);
    } catch (RuntimeException e) {
      LOG.error("Validation of a request failed", e);
      EngineError.failReply(message, e);
    }
  }
}

package io.isometry.validation;

import io.isometry.config.EngineConfig;
import io.isometry.contract.Addresses;
import io.isometry.contract.Caller;
import io.isometry.contract.EngineError;
import io.isometry.contract.ErrorCode;
import io.isometry.os.Identity;
import io.isometry.sandbox.Workspaces;
import java.io.IOException;
import java.nio.file.Path;
import io.isometry.contract.SubmitRequest;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@link Addresses#VALIDATE} with {@code {allowed, violations, plan}}, judging each request
 * in its caller's own workspace (made on first use). Deploy it as a worker (the policy looks at the
 * file system); it keeps no state, so any number of instances may share the address.
 */
public final class ValidationVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ValidationVerticle.class);

  private SecurityPolicy policy;
  private Workspaces workspaces;

  @Override
  public Future<?> start() throws Exception {
    EngineConfig config = EngineConfig.from(config());
    policy = SecurityPolicy.create(config);
    workspaces = new Workspaces(config.workspace(), Identity.ofChildren(config.runAs()));
    LOG.debug("Validation ready with allowed commands {}", policy.allowedCommands());
    // Local: each node judges the requests its own supervisor admits, in its own workspaces.
    return vertx.eventBus().<Object>localConsumer(Addresses.VALIDATE, this::validate).completion();
  }

  private void validate(Message<Object> message) {
    try {
      // A body that is not a JSON object reaches fromJson as null, which it refuses as such.
      JsonObject body = message.body() instanceof JsonObject json ? json : null;
      SubmitRequest request = SubmitRequest.fromJson(body);
      Workspace workspace = policy.workspaceAt(ownWorkspace(Caller.of(message).principal()));
      message.reply(policy.validate(request, workspace).toJson());
    } catch (EngineError e) {
      e.failReply(message);
    } catch (RuntimeException e) {
      LOG.error("Validation of a request failed", e);
      EngineError.failReply(message, e);
    }
  }

  private Path ownWorkspace(String principal) {
    try {
      return workspaces.ensure(principal);
    } catch (IllegalArgumentException e) {
      throw new EngineError(ErrorCode.FORBIDDEN, "the principal '" + principal + "' cannot have a workspace");
    } catch (IOException e) {
      LOG.error("Cannot prepare the workspace of {}: {}", principal, e.getMessage());
      throw new EngineError(ErrorCode.UNAVAILABLE, "the workspace of '" + principal + "' cannot be prepared");
    }
  }
}

package io.attachkit.server;

import io.attachkit.ingest.QueryContext;
import java.util.Map;

/**
 * Puts an application's agent behind {@code POST /query}: it receives the resolved context (the stored and
 * processed attachments and the text parts, in request order) and returns the JSON object to answer with.
 *
 * <pre>{@code
 * AgentHandler agent = context -> Map.of("answer", myAgent.ask(context.text(), context.attachments()));
 * AttachkitServer.builder().store(store).agentHandler(agent).build().start();
 * }</pre>
 *
 * <p>Called on a server worker thread, one call per request; implementations must be thread-safe. An
 * exception is answered with a 500 JSON error; the attachments stay stored.
 */
@FunctionalInterface
public interface AgentHandler {
    /** The default: answers with the context itself ({@link QueryContext#toMap()}). */
    AgentHandler CONTEXT = QueryContext::toMap;

    /**
     * @param context the resolved query
     * @return the JSON object to answer with (JSON-shaped values: maps, lists, strings, numbers, booleans)
     * @throws Exception if the agent fails
     */
    Map<String, ?> answer(QueryContext context) throws Exception;
}

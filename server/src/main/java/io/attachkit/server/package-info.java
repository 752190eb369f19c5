/**
 * The attachkit HTTP server: {@link io.attachkit.server.AttachkitServer} serves stored files at
 * {@code /files/{storage_path}}, ingests the track-attachments ({@code POST /attachments}) and agent query
 * ({@code POST /query}) requests, and answers {@code GET /attachments/{file_id}} and {@code GET /health}.
 * {@link io.attachkit.server.AgentHandler} puts an application's agent behind {@code /query}.
 */
package io.attachkit.server;

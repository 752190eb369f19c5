/**
 * The client request formats that carry attachments, mapped to {@link io.attachkit.Attachment}s; usable
 * without the server.
 *
 * <ul>
 *   <li>Tyler's attachment JSON: {@link io.attachkit.Attachment#fromJson(String)}.</li>
 *   <li>The "track attachments" request: {@link io.attachkit.ingest.TrackAttachmentsRequest}, answered with a
 *       {@link io.attachkit.ingest.TrackAttachmentsResponse} (per item and in sum).</li>
 *   <li>The agent "query" request: {@link io.attachkit.ingest.QueryRequest}, resolved into a
 *       {@link io.attachkit.ingest.QueryContext}.</li>
 * </ul>
 *
 * <p>JSON is parsed with bounded nesting, string, number and document sizes, so hostile input fails with an
 * {@link io.attachkit.InvalidContentException} instead of exhausting memory or stack.
 */
package io.attachkit.ingest;

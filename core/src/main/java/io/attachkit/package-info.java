/**
 * attachkit's public face: {@link io.attachkit.Attachment} and its lifecycle, the
 * {@link io.attachkit.FileStore} SPI with {@link io.attachkit.FileStores} and
 * {@link io.attachkit.FileStoreProvider}, {@link io.attachkit.StorageLimits}, the processing SPI
 * ({@link io.attachkit.ContentProcessor}, {@link io.attachkit.ProcessingLimits}), the
 * {@link io.attachkit.Attachments} service, store layers ({@link io.attachkit.ForwardingFileStore},
 * {@link io.attachkit.CachingFileStore}), and the one exception tree rooted at
 * {@link io.attachkit.AttachmentException}.
 *
 * <pre>{@code
 * FileStore store = FileStores.open("file:///var/lib/attachkit");
 * try (Attachments attachments = Attachments.builder().store(store).build()) {
 *     Attachment a = Attachment.fromBase64("scan.png", dataUri, null);
 *     attachments.storeAndProcess(a);
 *     String json = a.toJson();   // Tyler's shape
 * }
 * }</pre>
 */
package io.attachkit;

package io.attachkit.server;

import io.attachkit.ProcessedContent;
import io.attachkit.serving.FileUrlSigner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds {@code signed_url} beside every {@code processed_content.url} of a JSON answer, so a client with a key can
 * hand a browser a link that works without one for a while. The {@code url} itself stays Tyler's (what message
 * stores keep). The answer is copied, never changed in place (it may be a remembered one).
 */
final class SignedUrls {
    static final String SIGNED_URL = "signed_url";

    private final FileUrlSigner signer;

    /** @param signer signs the links, {@code null} for none (the answer is left as it is) */
    SignedUrls(FileUrlSigner signer) {
        this.signer = signer;
    }

    Object addTo(Object json) {
        return signer == null ? json : copy(json, false);
    }

    private Object copy(Object json, boolean processedContent) {
        if (json instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(e.getKey(), copy(e.getValue(), "processed_content".equals(e.getKey())));
                if (processedContent && ProcessedContent.URL.equals(e.getKey()) && e.getValue() instanceof String url
                        && url.startsWith(FilesHandler.PREFIX) && url.indexOf('?') < 0) {
                    out.put(SIGNED_URL, signer.sign(url));
                }
            }
            return out;
        }
        if (json instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) {
                out.add(copy(o, false));
            }
            return out;
        }
        return json;
    }
}

package org.noduled.preprocess.phantom;

/** What a nodule touches: nothing, the pleura (lung wall), or a vessel. */
public enum NoduleAttachment {
    ISOLATED("isolated"),
    JUXTAPLEURAL("juxtapleural"),
    JUXTAVASCULAR("juxtavascular");

    private final String jsonName;

    NoduleAttachment(String jsonName) {
        this.jsonName = jsonName;
    }

    String jsonName() {
        return jsonName;
    }
}

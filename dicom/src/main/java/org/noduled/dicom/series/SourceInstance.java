package org.noduled.dicom.series;

import java.util.Objects;

/** One received source image: what an SR's evidence sequence and image references name. */
public record SourceInstance(String sopClassUid, String sopInstanceUid) {

    public SourceInstance {
        Objects.requireNonNull(sopClassUid, "sopClassUid");
        Objects.requireNonNull(sopInstanceUid, "sopInstanceUid");
    }
}

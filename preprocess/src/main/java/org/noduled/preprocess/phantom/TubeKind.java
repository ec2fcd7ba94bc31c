package org.noduled.preprocess.phantom;

/** What a tube is made of, which decides how it is painted. */
enum TubeKind {
    /** Lung blood vessel: blood HU blended by partial volume, painted over lung only. */
    VESSEL,
    /** Rib: cortical bone shell around marrow. */
    RIB,
    /** Costal cartilage (the anterior end of a rib). */
    CARTILAGE,
    /** Aorta, pulmonary trunk and arteries, superior vena cava: blood. */
    AORTA,
    /** Trachea or main bronchus: soft-tissue wall around an air lumen. */
    AIRWAY,
    /** Oesophagus: muscle. */
    ESOPHAGUS
}

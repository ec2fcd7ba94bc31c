package org.noduled.runtime;

import java.io.IOException;
import java.nio.file.Path;
import org.noduled.dicom.DicomException;
import org.noduled.dicom.series.CtSeriesWriter;
import org.noduled.preprocess.phantom.Phantom;
import org.noduled.preprocess.phantom.PhantomSpec;

/** A phantom written as a CT series (what {@code noduled phantom} writes, without truth.json), for benchmarks. */
final class PhantomDicom {

    private PhantomDicom() {
    }

    /** Renders the phantom and writes its slices into {@code dir}; returns the plan, which holds the truth. */
    static Phantom write(PhantomSpec spec, Path dir, int threads) throws IOException, DicomException {
        Phantom phantom = Phantom.plan(spec);
        new CtSeriesWriter(threads).write(phantom.render(threads).volume(), PhantomCommand.header(phantom), dir);
        return phantom;
    }
}

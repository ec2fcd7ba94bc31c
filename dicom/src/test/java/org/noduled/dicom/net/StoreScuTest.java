package org.noduled.dicom.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomInputStream;
import com.pixelmed.dicom.StructuredReport;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.noduled.dicom.sr.MeasurementReport;
import org.noduled.dicom.sr.MeasurementReportBuilder;
import org.noduled.dicom.sr.SrFixtures;
import org.noduled.dicom.sr.SrValidators;

class StoreScuTest {

    private static final Duration SHORT = Duration.ofMillis(500);

    @TempDir
    Path dir;

    private final StoreScu scu = new StoreScu();

    @Test
    void store_toStorescp_isStoredUnderTheSameSopInstanceUid() throws Exception {
        SrValidators.assumeInstalled("storescp");
        MeasurementReport report = SrFixtures.report(3);
        try (Storescp storescp = Storescp.acceptingAll(dir)) {
            storescp.start();
            StoreResult result = scu.store(storescp.destination(), report.bytes());
            assertEquals(StoreResult.Outcome.STORED, result.outcome(), result.problem());
            assertEquals(0, result.status());
            assertEquals(List.of(report.sopInstanceUid()), storescp.receivedSopInstanceUids());
        }
    }

    @Test
    void echo_toStorescpAndOrthanc_isAnsweredByBoth() throws Exception {
        SrValidators.assumeInstalled("storescp");
        SrValidators.assumeInstalled("Orthanc");
        try (Storescp storescp = Storescp.acceptingAll(dir.resolve("storescp"));
                Orthanc orthanc = new Orthanc(dir.resolve("orthanc"))) {
            storescp.start();
            orthanc.start();
            for (Destination peer : List.of(storescp.destination(), orthanc.destination())) {
                StoreResult result = scu.echo(peer);
                assertEquals(StoreResult.Outcome.STORED, result.outcome(), peer + ": " + result.problem());
            }
        }
    }

    @Test
    void store_toOrthanc_canBeReadBackThroughItsRestApi() throws Exception {
        SrValidators.assumeInstalled("Orthanc");
        MeasurementReport report = SrFixtures.report(10);
        try (Orthanc orthanc = new Orthanc(dir)) {
            orthanc.start();
            StoreResult result = scu.store(orthanc.destination(), report.bytes());
            assertEquals(StoreResult.Outcome.STORED, result.outcome(), result.problem());
            assertEquals(List.of(report.sopInstanceUid()), orthanc.sopInstanceUids());

            byte[] file = orthanc.file(orthanc.instanceIds().get(0));
            AttributeList list = new AttributeList();
            list.read(new DicomInputStream(new ByteArrayInputStream(file)));
            assertEquals(report.seriesInstanceUid(), Attribute.getSingleStringValueOrEmptyString(list,
                    TagFromName.SeriesInstanceUID));
            com.pixelmed.dicom.ContentItem root = (com.pixelmed.dicom.ContentItem) new StructuredReport(list)
                    .getRoot();
            assertEquals(10, root.getNamedChild("DCM", "126010").getChildCount(), "measurement groups read back");
        }
    }

    @Test
    void store_destinationAcceptingOnlyCt_isRefusedNamingTheSopClass() throws Exception {
        SrValidators.assumeInstalled("storescp");
        try (Storescp storescp = Storescp.acceptingOnlyCt(dir)) {
            storescp.start();
            StoreResult result = scu.store(storescp.destination(), SrFixtures.report(1).bytes());
            assertEquals(StoreResult.Outcome.REFUSED, result.outcome());
            assertTrue(result.problem().contains("does not accept Comprehensive 3D SR Storage"), result.problem());
            assertTrue(storescp.receivedSopInstanceUids().isEmpty());
        }
    }

    @Test
    void store_nobodyListening_isUnreachableSayingConnectionRefused() throws Exception {
        Destination closed = Destination.of("down", "PACS", "127.0.0.1", LoopbackReceiver.freePort());
        StoreResult result = scu.store(closed, SrFixtures.report(0).bytes());
        assertEquals(StoreResult.Outcome.UNREACHABLE, result.outcome());
        assertTrue(result.problem().contains("refused the connection"), result.problem());
    }

    @Test
    void store_unknownHost_isUnreachableNamingTheHost() throws Exception {
        Destination nowhere = Destination.of("typo", "PACS", "pacs.invalid", 104).withTimeouts(SHORT, SHORT);
        StoreResult result = scu.store(nowhere, SrFixtures.report(0).bytes());
        assertEquals(StoreResult.Outcome.UNREACHABLE, result.outcome());
        assertTrue(result.problem().contains("pacs.invalid"), result.problem());
    }

    @Test
    void store_failureStatus_isRefusedWithTheStatusInWords() throws Exception {
        try (FakePacs pacs = new FakePacs()) {
            pacs.status = 0xA700;
            StoreResult result = scu.store(pacs.destination(), SrFixtures.report(1).bytes());
            assertEquals(StoreResult.Outcome.REFUSED, result.outcome());
            assertEquals(0xA700, result.status());
            assertTrue(result.problem().contains("0xA700 (out of resources: fake PACS says no)"), result.problem());
        }
    }

    @Test
    void store_warningStatus_countsAsStored() throws Exception {
        try (FakePacs pacs = new FakePacs()) {
            pacs.status = 0xB000;
            StoreResult result = scu.store(pacs.destination(), SrFixtures.report(1).bytes());
            assertEquals(StoreResult.Outcome.STORED, result.outcome(), result.problem());
        }
    }

    @Test
    void store_associationRejected_isUnreachableNamingTheAeTitle() throws Exception {
        try (FakePacs pacs = new FakePacs()) {
            pacs.behaviour = FakePacs.Behaviour.REJECT_ASSOCIATION;
            StoreResult result = scu.store(pacs.destination(), SrFixtures.report(1).bytes());
            assertEquals(StoreResult.Outcome.UNREACHABLE, result.outcome());
            assertTrue(result.problem().contains("called AE title 'FAKEPACS' not recognized"), result.problem());
        }
    }

    @Test
    void store_pacsStallingAfterTheAssociationRequest_givesUpAfterTheReadTimeout() throws Exception {
        try (FakePacs pacs = new FakePacs()) {
            pacs.behaviour = FakePacs.Behaviour.STALL_ASSOCIATION;
            StoreResult result = scu.store(pacs.destination().withTimeouts(SHORT, SHORT), SrFixtures.report(1).bytes());
            assertEquals(StoreResult.Outcome.UNREACHABLE, result.outcome());
            assertTrue(result.problem().contains("stopped answering"), result.problem());
        }
    }

    @Test
    void store_pacsStallingBeforeTheResponse_givesUpAfterTheReadTimeout() throws Exception {
        try (FakePacs pacs = new FakePacs()) {
            pacs.behaviour = FakePacs.Behaviour.STALL_RESPONSE;
            StoreResult result = scu.store(pacs.destination().withTimeouts(SHORT, SHORT), SrFixtures.report(1).bytes());
            assertEquals(StoreResult.Outcome.UNREACHABLE, result.outcome());
            assertTrue(result.problem().contains("stopped answering"), result.problem());
        }
    }

    @Test
    void store_pacsAbortingDuringTheTransfer_isUnreachable() throws Exception {
        try (FakePacs pacs = new FakePacs()) {
            pacs.behaviour = FakePacs.Behaviour.ABORT_AFTER_DATA;
            StoreResult result = scu.store(pacs.destination(), SrFixtures.report(1).bytes());
            assertEquals(StoreResult.Outcome.UNREACHABLE, result.outcome());
            assertTrue(result.problem().contains("aborted the association during the transfer"), result.problem());
        }
    }

    @Test
    void store_pacsHangingUp_isUnreachable() throws Exception {
        try (FakePacs pacs = new FakePacs()) {
            pacs.behaviour = FakePacs.Behaviour.HANG_UP;
            StoreResult result = scu.store(pacs.destination(), SrFixtures.report(1).bytes());
            assertEquals(StoreResult.Outcome.UNREACHABLE, result.outcome());
        }
    }

    @Test
    void store_pacsAcceptingOnlyImplicitVr_getsTheDataSetReencoded() throws Exception {
        MeasurementReport report = SrFixtures.report(2);
        try (FakePacs pacs = new FakePacs()) {
            pacs.implicitOnly = true;
            StoreResult result = scu.store(pacs.destination(), report.bytes());
            assertEquals(StoreResult.Outcome.STORED, result.outcome(), result.problem());
            FakePacs.Received received = pacs.received.get(0);
            assertEquals(TransferSyntax.ImplicitVRLittleEndian, received.transferSyntaxUid());
            AttributeList list = new AttributeList();
            list.read(new DicomInputStream(new ByteArrayInputStream(received.dataset()),
                    TransferSyntax.ImplicitVRLittleEndian, false));
            assertEquals(report.sopInstanceUid(), Attribute.getSingleStringValueOrEmptyString(list,
                    TagFromName.SOPInstanceUID));
        }
    }

    @Test
    void store_explicitVr_sendsTheFilesDataSetByteForByte() throws Exception {
        MeasurementReport report = SrFixtures.report(2);
        try (FakePacs pacs = new FakePacs()) {
            scu.store(pacs.destination(), report.bytes());
            StoreScu.Part10 file = StoreScu.Part10.parse(report.bytes());
            byte[] expected = java.util.Arrays.copyOfRange(report.bytes(), file.datasetOffset(), report.bytes().length);
            assertArrayEquals(expected, pacs.received.get(0).dataset());
            assertEquals(MeasurementReportBuilder.SOP_CLASS_UID, pacs.received.get(0).sopClassUid());
        }
    }
}

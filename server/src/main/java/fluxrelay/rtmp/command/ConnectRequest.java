package fluxrelay.rtmp.command;

import fluxrelay.rtmp.amf.AmfValue;
import fluxrelay.rtmp.message.CommandMessage;

/**
 * The {@code connect} command's command object (RTMP spec 7.2.1.1), as the session needs it.
 *
 * @param transactionId the transaction id to answer
 * @param app application name, without any trailing slash or query
 * @param tcUrl the URL the client connected to
 * @param flashVer the client's version string (encoder name)
 * @param objectEncoding 0 for AMF0, 3 for AMF3
 */
public record ConnectRequest(double transactionId, String app, String tcUrl, String flashVer, double objectEncoding) {

    /** Reads a {@code connect} command; a missing app gives an empty one. */
    public static ConnectRequest from(CommandMessage command) {
        AmfValue object = command.commandObject();
        String app = string(object, "app");
        int q = app.indexOf('?');
        if (q >= 0) {
            app = app.substring(0, q);
        }
        while (app.endsWith("/")) {
            app = app.substring(0, app.length() - 1);
        }
        double encoding = number(object, "objectEncoding");
        return new ConnectRequest(command.transactionId(), app, string(object, "tcUrl"), string(object, "flashVer"),
                Double.isNaN(encoding) ? 0 : encoding);
    }

    private static String string(AmfValue object, String key) {
        String v = object instanceof fluxrelay.rtmp.amf.AmfObject o ? o.getString(key) : null;
        return v == null ? "" : v;
    }

    private static double number(AmfValue object, String key) {
        return object instanceof fluxrelay.rtmp.amf.AmfObject o ? o.getNumber(key) : Double.NaN;
    }
}

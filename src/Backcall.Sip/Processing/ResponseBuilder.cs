using System.Net;
using System.Text;
using Backcall.Sip.Message;

namespace Backcall.Sip.Processing;

/// <summary>
/// Builds responses per RFC 3261 §8.2.6: Via, From, Call-ID and CSeq copied from the request (the top Via
/// with received/rport), To copied with our deterministic tag added. Values are echoed as received
/// (Latin-1 round-trips bytes), which also works for requests that failed validation (the 400 path).
/// </summary>
internal sealed class ResponseBuilder(string serverHeader, ToTagGenerator tags)
{
    /// <summary>
    /// Longer builders are not kept: a rare huge response must not pin its buffer for the thread's life.
    /// </summary>
    private const int MaxKeptCapacity = 4096;

    /// <summary>
    /// One builder per thread, reused: every INVITE gets a response, and the builder was most of its garbage.
    /// </summary>
    [ThreadStatic]
    private static StringBuilder? t_builder;

    public byte[] Build(SipRequest request, int status, IPEndPoint source, bool addToTag, string? extraHeaders = null)
    {
        var sb = t_builder ?? new StringBuilder(1024);
        t_builder = null; // a nested Build on this thread (none today) would get a builder of its own
        try
        {
            Append(sb, request, status, source, addToTag, extraHeaders);
            return Encode(sb);
        }
        finally
        {
            if (sb.Capacity <= MaxKeptCapacity)
            {
                sb.Clear();
                t_builder = sb;
            }
        }
    }

    /// <summary>
    /// Latin-1 is one byte per char: the bytes are written straight from the builder's chunks, no string between.
    /// </summary>
    private static byte[] Encode(StringBuilder sb)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(sb.Length);
        var written = 0;
        foreach (var chunk in sb.GetChunks())
        {
            written += Encoding.Latin1.GetBytes(chunk.Span, bytes.AsSpan(written));
        }

        return bytes;
    }

    private void Append(
        StringBuilder sb,
        SipRequest request,
        int status,
        IPEndPoint source,
        bool addToTag,
        string? extraHeaders)
    {
        sb.Append("SIP/2.0 ").Append(status).Append(' ').Append(ReasonPhrases.For(status)).Append("\r\n");
        AppendVias(sb, request, source);
        AppendCopied(sb, request, SipHeaderNames.From);
        AppendTo(sb, request, addToTag && status > 100);
        AppendCopied(sb, request, SipHeaderNames.CallId);
        AppendCopied(sb, request, SipHeaderNames.CSeq);
        if (status is 405 or 501 || (status == 200 && request.Method == SipMethods.Options))
        {
            sb.Append("Allow: ").Append(SipMethods.Allowed).Append("\r\n");
        }

        if (status == 200 && request.Method == SipMethods.Options)
        {
            // RFC 3261 §11.2. We implement no extension (no 100rel, no timer): the empty list says so.
            sb.Append("Accept: application/sdp\r\nSupported: \r\n");
        }

        sb.Append(extraHeaders);
        sb.Append("Server: ").Append(serverHeader).Append("\r\n");
        sb.Append("Content-Length: 0\r\n\r\n");
    }

    private static void AppendVias(StringBuilder sb, SipRequest request, IPEndPoint source)
    {
        if (request.ViasIntact)
        {
            sb.Append("Via: ").Append(ResponseRoute.EchoTopVia(request.Vias[0], source)).Append("\r\n");
            for (var i = 1; i < request.Vias.Count; i++)
            {
                sb.Append("Via: ").Append(request.Vias[i].Raw).Append("\r\n");
            }

            return;
        }

        // Vias that did not parse cleanly are echoed exactly as received.
        foreach (var via in request.GetHeaders(SipHeaderNames.Via))
        {
            sb.Append("Via: ").Append(via).Append("\r\n");
        }
    }

    private static void AppendCopied(StringBuilder sb, SipRequest request, string name)
    {
        if (request.GetHeader(name) is { } value)
        {
            sb.Append(name).Append(": ").Append(value).Append("\r\n");
        }
    }

    private void AppendTo(StringBuilder sb, SipRequest request, bool addTag)
    {
        if (request.GetHeader(SipHeaderNames.To) is not { } to)
        {
            return;
        }

        sb.Append("To: ").Append(to);
        if (addTag && request.To is { Tag: null })
        {
            sb.Append(";tag=").Append(tags.For(request));
        }

        sb.Append("\r\n");
    }
}

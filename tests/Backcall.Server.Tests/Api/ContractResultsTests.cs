using System.Text;
using Backcall.Server.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Backcall.Server.Tests.Api;

/// <summary>
/// How a contract answer is written: the bytes clients parse, and what writing one allocates. The status
/// check is the call clients make in a loop, so its garbage sets how often the server pauses for the GC.
/// Bytes allocated on one thread are exact, not timed.
/// </summary>
public class ContractResultsTests
{
    [Fact]
    public async Task An_answer_is_json_with_text_escaped_only_where_json_requires_it()
    {
        var (context, body) = NewContext();

        await ContractResults.Ok(new CheckData(7, "", "pending", 118, "+7 (9**) ***-**-67"), false, "ждём звонка")
            .ExecuteAsync(context);
        await context.Response.BodyWriter.FlushAsync();

        Assert.Equal(200, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        const string Expected = """{"success":false,"error":"ждём звонка","data":"""
            + """{"id":7,"phone":"","status":"pending","seconds_left":118,"other_caller":"+7 (9**) ***-**-67"}}""";
        Assert.Equal(Expected, Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task An_error_answer_carries_its_status_and_retry_after()
    {
        var (context, body) = NewContext();

        await ContractResults.Error(429, "too many requests", TimeSpan.FromSeconds(1.2)).ExecuteAsync(context);
        await context.Response.BodyWriter.FlushAsync();

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("2", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal(
            """{"success":false,"error":"too many requests","data":{}}""",
            Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task Writing_a_check_answer_allocates_almost_nothing()
    {
        var (context, _) = NewContext();
        var answer = ContractResults.Ok(new CheckData(7, "", "pending", 118), false, "waiting for the call");
        await answer.ExecuteAsync(context); // first use on this thread: the writer and the metadata are made here
        await context.Response.BodyWriter.FlushAsync();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var written = answer.ExecuteAsync(context);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(written.IsCompletedSuccessfully);
        // The serializer's streaming path made a stack of frames, a writer and a task per answer (hundreds of
        // bytes); the generated fast path into the response's buffer makes none of them.
        Assert.True(allocated < 100, $"writing one answer allocated {allocated} bytes");
    }

    /// <summary>A request whose response body is a pipe over a memory stream, as the server's is a pipe.</summary>
    private static (DefaultHttpContext Context, MemoryStream Body) NewContext()
    {
        var body = new MemoryStream();
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseBodyFeature>(new StreamResponseBodyFeature(body));
        return (context, body);
    }
}

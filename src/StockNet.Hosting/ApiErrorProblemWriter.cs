using Microsoft.AspNetCore.Http;
using StockNet.Contracts;

namespace StockNet.Hosting;

/// <summary>
/// Writes every ProblemDetails the framework produces (endpoint validation above all) as the contract's
/// <c>{"error": {"code", "message", "type"}}</c>: the first validation message is the sentence, so a client never
/// sees the framework's shape or its .NET property names.
/// </summary>
internal sealed class ApiErrorProblemWriter : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var status = context.ProblemDetails.Status ?? http.Response.StatusCode;
        var message = context.ProblemDetails is HttpValidationProblemDetails validation
            ? validation.Errors.SelectMany(error => error.Value).FirstOrDefault()
            : context.ProblemDetails.Detail;
        return new ValueTask(ApiResults.WriteErrorAsync(http, status, message ?? ErrorHandling.DefaultMessage(status), ErrorTypes.ForStatus(status)));
    }
}

namespace PartnerCenter.Core.Common;

/// <summary>The kind of an expected failure; the API maps each kind to one HTTP status.</summary>
public enum ErrorKind { Validation, Unauthorized, Forbidden, NotFound, Conflict, TooManyRequests }

/// <summary>An expected failure, returned as a value and turned into the Huawei error body in one place.</summary>
public sealed record Error(ErrorKind Kind, string Code, string Message)
{
    public static Error Validation(string code, string message) => new(ErrorKind.Validation, code, message);
    public static Error NotFound(string code, string message) => new(ErrorKind.NotFound, code, message);
    public static Error Conflict(string code, string message) => new(ErrorKind.Conflict, code, message);
    public static Error Forbidden(string code, string message) => new(ErrorKind.Forbidden, code, message);
    public static Error Unauthorized(string code, string message) => new(ErrorKind.Unauthorized, code, message);
}

/// <summary>Thrown by a service to abandon an operation with an expected failure; the transaction is not committed.</summary>
public sealed class ServiceException(Error error) : Exception(error.Message)
{
    public Error Error { get; } = error;
}

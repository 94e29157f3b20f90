import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { NotUtf8BodyError } from './utf8-body';

/** V8's place of a JSON syntax error: `at position 12 (line 1 column 13)`. */
const POSITION = /at position \d+(?: \(line \d+ column \d+\))?/;

/**
 * Answers a body the JSON parser refused with a message of its own. Left to Nest, the parser's
 * SyntaxError becomes a 400 with JSON.parse's message, which quotes the body (`Unexpected
 * token 'p', "password=…" is not valid JSON`) and calls a bare `null` or `42` invalid JSON,
 * when it is JSON that is not an object. A body refused as not UTF-8 (requireUtf8Body) gets the
 * error shape and its status. Register it right after the JSON body parser.
 */
export function answerUnreadableJson(
  error: unknown,
  _request: Request,
  _response: Response,
  next: NextFunction,
): void {
  if (error instanceof NotUtf8BodyError) next(notUtf8(error));
  else next(isUnreadableJson(error) ? new BadRequestException(messageFor(error)) : error);
}

function notUtf8(error: NotUtf8BodyError) {
  return error.status === 415
    ? new UnsupportedMediaTypeException(error.message)
    : new BadRequestException(error.message);
}

interface UnreadableJson {
  type: 'entity.parse.failed';
  message: string;
  body?: unknown;
}

function isUnreadableJson(error: unknown): error is UnreadableJson {
  return (
    error instanceof SyntaxError && (error as { type?: unknown }).type === 'entity.parse.failed'
  );
}

function messageFor(error: UnreadableJson): string {
  if (typeof error.body === 'string' && isJson(error.body)) {
    return 'The request body must be a JSON object';
  }
  const position = POSITION.exec(error.message);
  return position ? `Malformed JSON ${position[0]}` : 'Malformed JSON';
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

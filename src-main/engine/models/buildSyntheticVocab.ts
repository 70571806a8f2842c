// A SentencePiece-style ("llama") vocabulary that can tokenize any text: the three special tokens, the
// 256 byte-fallback tokens, "▁" and the printable ASCII characters, then numbered filler pieces up to the
// vocabulary size. Generation with random weights picks fillers, which detokenize to readable " tokN".

/** GGUF tokenizer.ggml.token_type values (llama_token_type). */
export const TOKEN_TYPE = {normal: 1, unknown: 2, control: 3, userDefined: 4, unused: 5, byte: 6} as const;

export interface SyntheticVocab {
    tokens: string[],
    scores: number[],
    tokenTypes: number[],
    unkId: number,
    bosId: number,
    eosId: number
}

export function buildSyntheticVocab(vocabSize: number): SyntheticVocab {
    const tokens: string[] = [];
    const tokenTypes: number[] = [];
    const add = (text: string, type: number) => {
        tokens.push(text);
        tokenTypes.push(type);
    };

    add("<unk>", TOKEN_TYPE.unknown);
    add("<s>", TOKEN_TYPE.control);
    add("</s>", TOKEN_TYPE.control);
    for (let byte = 0; byte < 256; byte++)
        add(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`, TOKEN_TYPE.byte);

    // whole characters for plain ASCII text, so a prompt is not all byte tokens
    const pieces = ["\u2581"];
    for (let code = 0x21; code <= 0x7e; code++)
        pieces.push(String.fromCharCode(code));
    for (const piece of pieces)
        if (tokens.length < vocabSize)
            add(piece, TOKEN_TYPE.normal);

    for (let i = tokens.length; i < vocabSize; i++)
        add(`\u2581tok${i}`, TOKEN_TYPE.normal);

    if (tokens.length > vocabSize)
        throw new Error(`vocabSize ${vocabSize} is too small: the special and byte tokens alone need ${tokens.length}`);

    // SentencePiece scores: higher merges first; special and byte tokens score 0 as in LLaMA's tokenizer
    const scores = tokens.map((_, i) => tokenTypes[i] === TOKEN_TYPE.normal ? -i : 0);

    return {tokens, scores, tokenTypes, unkId: 0, bosId: 1, eosId: 2};
}

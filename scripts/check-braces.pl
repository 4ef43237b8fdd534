#!/usr/bin/perl
# Names every if/else/for/while whose body has no braces, in the C++ files given (as clang-format
# lays them out: a braceless body starts on the next line). Exits 1 when it finds one.
use strict;
use warnings;

my $found = 0;
for my $file (@ARGV) {
  open(my $in, '<', $file) or die "$file: $!";
  my @lines = <$in>;
  close $in;
  for (my $k = 0; $k < @lines; ++$k) {
    my $line = $lines[$k];
    $line =~ s{//.*$}{};
    if ($line =~ /^\s*(\}\s*)?else\s*$/) {
      print "$file:", $k + 1, ": else without braces\n";
      $found = 1;
      next;
    }
    next unless $line =~ /^\s*(\}\s*)?(else\s+)?(if|for|while)\s*(constexpr\s*)?\(/;
    my $keyword = $3;
    next if $keyword eq 'while' && defined $1 && !defined $2;    # "} while (x);" ends a do-while
    # Follow the header's parentheses to their close, then look at what follows.
    my ($depth, $j, $rest) = (0, $k, undef);
    my $text = substr($line, index($line, '('));
    while (1) {
      $text =~ s/"(?:[^"\\]|\\.)*"//g;
      $text =~ s/'(?:[^'\\]|\\.)*'//g;
      for my $i (0 .. length($text) - 1) {
        my $c = substr($text, $i, 1);
        $depth++ if $c eq '(';
        if ($c eq ')' && --$depth == 0) {
          $rest = substr($text, $i + 1);
          last;
        }
      }
      last if defined $rest || ++$j >= @lines;
      ($text = $lines[$j]) =~ s{//.*$}{};
    }
    next unless defined $rest;
    $rest =~ s/\s+$//;
    if ($rest eq '') {
      print "$file:", $k + 1, ": $keyword without braces\n";
      $found = 1;
    }
  }
}
exit $found;
